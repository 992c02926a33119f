// Security policy of the Electron shell, as pure functions over small structural interfaces so it can
// be unit-tested in plain Node. The real `Session` / `WebContents` satisfy these interfaces.
// Deliberately no `shell` import anywhere in electron/main: nothing is ever opened externally.

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
const OLLAMA_DEFAULT_PORT = '11434';

/** Schemes that never leave the machine and are needed by the console or DevTools. */
const ALWAYS_ALLOWED_SCHEMES = new Set(['devtools:', 'data:', 'blob:']);

// ---------------------------------------------------------------------------------------------
// Structural interfaces (the subset of Electron's API we touch)

export interface RequestDetailsLike {
  url: string;
}
export interface HeadersDetailsLike {
  url: string;
  responseHeaders?: Record<string, string[]>;
}
export interface WebRequestLike {
  onBeforeRequest(listener: (details: RequestDetailsLike, callback: (response: { cancel?: boolean }) => void) => void): void;
  onHeadersReceived(
    listener: (
      details: HeadersDetailsLike,
      callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string | string[]> }) => void,
    ) => void,
  ): void;
}
export interface SessionLike {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean,
  ): void;
  readonly webRequest: WebRequestLike;
}
export interface PreventableEventLike {
  preventDefault(): void;
}
export interface WebContentsLike {
  on(event: 'will-navigate', listener: (event: PreventableEventLike, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEventLike, ...args: unknown[]) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

// ---------------------------------------------------------------------------------------------
// Policy helpers

/**
 * Normalises an Ollama host setting (as in OLLAMA_HOST: "127.0.0.1:11434", "http://localhost",
 * "https://ollama.lan") to an origin. Invalid or empty input gives the default.
 */
export function resolveOllamaOrigin(value?: string | null): string {
  const raw = (value ?? '').trim();
  if (raw === '') return new URL(DEFAULT_OLLAMA_HOST).origin;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return new URL(DEFAULT_OLLAMA_HOST).origin;
    const authority = withScheme.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
    const explicitPort = /:\d+$/.test(authority.replace(/^.*@/, ''));
    if (!explicitPort && url.protocol === 'http:') url.port = OLLAMA_DEFAULT_PORT;
    return url.origin;
  } catch {
    return new URL(DEFAULT_OLLAMA_HOST).origin;
  }
}

function normalisePrefix(entry: string): string | null {
  try {
    const href = new URL(entry).href;
    return href.endsWith('/') ? href : `${href}/`;
  } catch {
    return null;
  }
}

function caseFold(url: string): string {
  // Windows file paths are case-insensitive (and Chromium may report a different drive-letter case).
  return process.platform === 'win32' && url.startsWith('file:') ? url.toLowerCase() : url;
}

export interface RequestPolicy {
  /** URL prefixes that are "the app itself", e.g. "attest://app/" and the file:// URL of dist/renderer. */
  allowedOrigins: readonly string[];
  /** Origin (or host setting) of the local Ollama server. */
  ollamaHost?: string | null;
}

/** Predicate: is `url` inside one of the app's own URL prefixes (`allowedOrigins`)? */
export function createAppUrlCheck(allowedOrigins: readonly string[]): (url: string) => boolean {
  const prefixes = allowedOrigins
    .map(normalisePrefix)
    .filter((p): p is string => p !== null)
    .map(caseFold);
  return (url: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (ALWAYS_ALLOWED_SCHEMES.has(parsed.protocol)) return false;
    // Compare the parsed (dot-segment-normalised) href so "…/renderer/../../etc/passwd" cannot pass.
    const href = caseFold(parsed.href);
    return prefixes.some((prefix) => href.startsWith(prefix) || `${href}/` === prefix);
  };
}

/** Predicate: may the app load `url` at all (the app itself, DevTools, local data/blob, Ollama)? */
export function createRequestFilter(policy: RequestPolicy): (url: string) => boolean {
  const isApp = createAppUrlCheck(policy.allowedOrigins);
  const ollamaOrigin = resolveOllamaOrigin(policy.ollamaHost);
  return (url: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (ALWAYS_ALLOWED_SCHEMES.has(parsed.protocol)) return true;
    if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === ollamaOrigin) return true;
    return isApp(url);
  };
}

/** Predicate for IPC senders: only frames showing the console itself (never DevTools, data: or Ollama). */
export function createTrustedSenderCheck(allowedOrigins: readonly string[]): (frameUrl: string) => boolean {
  return createAppUrlCheck(allowedOrigins);
}

export function buildContentSecurityPolicy(options: { ollamaHost?: string | null } = {}): string {
  const ollama = resolveOllamaOrigin(options.ollamaHost);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${ollama}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface HardenSessionOptions extends RequestPolicy {
  /** Content-Security-Policy sent with the app's own responses. Defaults to buildContentSecurityPolicy(). */
  contentSecurityPolicy?: string;
  /** Called with every URL that was cancelled (for logging). */
  onBlocked?: (url: string) => void;
}

/**
 * Denies every permission request and check, cancels every request that is neither the app itself,
 * DevTools, nor the configured Ollama host, and adds a CSP header to the app's own responses.
 */
export function hardenSession(session: SessionLike, options: HardenSessionOptions): void {
  const isAllowed = createRequestFilter(options);
  const isApp = createAppUrlCheck(options.allowedOrigins);
  const csp = options.contentSecurityPolicy ?? buildContentSecurityPolicy(options);

  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);

  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowed(details.url);
    if (!allowed) options.onBlocked?.(details.url);
    callback({ cancel: !allowed });
  });

  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isApp(details.url)) {
      callback({ responseHeaders: details.responseHeaders });
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      const lower = name.toLowerCase();
      if (lower === 'content-security-policy' || lower === 'x-content-type-options') continue;
      headers[name] = value;
    }
    headers['Content-Security-Policy'] = [csp];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
}

/** No navigation away from the console, no new windows, no <webview>. */
export function hardenWebContents(contents: WebContentsLike): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** webPreferences of every console window: isolated, sandboxed, no Node, no <webview>. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  } as const;
}
