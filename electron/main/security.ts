// Security policy of the Electron shell, as pure functions over small structural interfaces so it can
// be unit-tested in plain Node. The real `Session` / `WebContents` satisfy these interfaces.
// Deliberately no `shell` import anywhere in electron/main: nothing is ever opened externally.
// The console talks to the model server only through the main process (IPC → core): the page itself may load
// nothing but the app's own files, so neither the CSP nor the request filter names any other origin.

/** Schemes that never leave the machine and are needed by the console (data: images) or DevTools. */
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
  /** WebHID / WebSerial / WebUSB device access (Electron ≥ 16). */
  setDevicePermissionHandler?(handler: (details: unknown) => boolean): void;
  readonly webRequest: WebRequestLike;
}
export interface PreventableEventLike {
  preventDefault(): void;
}
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (event: PreventableEventLike, ...args: unknown[]) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEventLike, ...args: unknown[]) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

// ---------------------------------------------------------------------------------------------
// Policy helpers

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
  /** URL prefixes that are "the app itself": "attest://app/" (or, with ATTEST_LOAD_FROM_FILE=1, dist/renderer's file:// URL). */
  allowedOrigins: readonly string[];
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

/** Predicate: may the page load `url` at all (the app itself, DevTools, local data/blob)? Nothing on a network. */
export function createRequestFilter(policy: RequestPolicy): (url: string) => boolean {
  const isApp = createAppUrlCheck(policy.allowedOrigins);
  return (url: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (ALWAYS_ALLOWED_SCHEMES.has(parsed.protocol)) return true;
    return isApp(url);
  };
}

/** Predicate for IPC senders: only frames showing the console itself (never DevTools, data: or Ollama). */
export function createTrustedSenderCheck(allowedOrigins: readonly string[]): (frameUrl: string) => boolean {
  return createAppUrlCheck(allowedOrigins);
}

/**
 * The console's Content-Security-Policy, sent with every attest:// response and also in dist/renderer/index.html's
 * meta tag (renderer/index.html; the lock-down test checks they agree). Scripts and styles only from the app itself:
 * no 'unsafe-inline', no 'unsafe-eval', no remote origin; no plugins, frames, forms or base-URI changes.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'; frame-ancestors 'none'";

export interface HardenSessionOptions extends RequestPolicy {
  /** Content-Security-Policy sent with the app's own responses. Defaults to CONTENT_SECURITY_POLICY. */
  contentSecurityPolicy?: string;
  /** Called with every URL that was cancelled (for logging). */
  onBlocked?: (url: string) => void;
}

/**
 * Denies every permission request and check (and every device), cancels every request that is neither the app
 * itself nor DevTools, and adds a CSP header to the app's own responses.
 */
export function hardenSession(session: SessionLike, options: HardenSessionOptions): void {
  const isAllowed = createRequestFilter(options);
  const isApp = createAppUrlCheck(options.allowedOrigins);
  const csp = options.contentSecurityPolicy ?? CONTENT_SECURITY_POLICY;

  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);

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

/**
 * No navigation away from the console (by link, form, script, redirect, or in a sub-frame), no new windows, no
 * <webview>. The console is one page: its routes change the hash, which is not a navigation. Reloads and the
 * main process's own loadURL do not emit these events.
 */
export function hardenWebContents(contents: WebContentsLike): void {
  const prevent = (event: PreventableEventLike): void => event.preventDefault();
  contents.on('will-navigate', prevent);
  contents.on('will-frame-navigate', prevent);
  contents.on('will-redirect', prevent);
  contents.on('will-attach-webview', prevent);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
