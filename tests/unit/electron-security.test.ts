// Security policy of the Electron shell, exercised with fake Session / WebContents objects in plain Node.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, createAppProtocolHandler, resolveAppAsset } from '../../electron/main/app-protocol.ts';
import {
  CONTENT_SECURITY_POLICY,
  createTrustedSenderCheck,
  hardenSession,
  hardenWebContents,
  type HeadersDetailsLike,
  type PreventableEventLike,
  type RequestDetailsLike,
  type SessionLike,
} from '../../electron/main/security.ts';

const RENDERER_DIR = join(process.cwd(), 'dist', 'renderer');
const RENDERER_FILE_URL = pathToFileURL(join(RENDERER_DIR, '/')).href;
const APP_ORIGINS = ['attest://app/', RENDERER_FILE_URL];

type BeforeRequest = (details: RequestDetailsLike, callback: (response: { cancel?: boolean }) => void) => void;
type HeadersReceived = (
  details: HeadersDetailsLike,
  callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string | string[]> }) => void,
) => void;

function fakeSession() {
  const state: {
    requestHandler?: (wc: unknown, permission: string, cb: (granted: boolean) => void, details: unknown) => void;
    checkHandler?: (wc: unknown, permission: string, origin: string, details: unknown) => boolean;
    deviceHandler?: (details: unknown) => boolean;
    beforeRequest?: BeforeRequest;
    headersReceived?: HeadersReceived;
  } = {};
  const session: SessionLike = {
    setPermissionRequestHandler: (handler) => (state.requestHandler = handler),
    setPermissionCheckHandler: (handler) => (state.checkHandler = handler),
    setDevicePermissionHandler: (handler) => (state.deviceHandler = handler),
    webRequest: {
      onBeforeRequest: (listener) => (state.beforeRequest = listener),
      onHeadersReceived: (listener) => (state.headersReceived = listener),
    },
  };
  return { session, state };
}

function harden() {
  const { session, state } = fakeSession();
  const blocked: string[] = [];
  hardenSession(session, { allowedOrigins: APP_ORIGINS, onBlocked: (url) => blocked.push(url) });
  const request = (url: string): boolean => {
    let cancel: boolean | undefined;
    state.beforeRequest!({ url }, (response) => (cancel = response.cancel));
    if (cancel === undefined) throw new Error('callback not called');
    return !cancel;
  };
  const headers = (url: string, responseHeaders: Record<string, string[]> = {}) => {
    let out: Record<string, string | string[]> | undefined;
    state.headersReceived!({ url, responseHeaders }, (response) => (out = response.responseHeaders));
    return out;
  };
  return { state, request, headers, blocked };
}

describe('hardenSession', () => {
  it('denies every permission request and check', () => {
    const { state } = harden();
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen']) {
      let granted: boolean | undefined;
      state.requestHandler!({}, permission, (value) => (granted = value), {});
      expect(granted).toBe(false);
      expect(state.checkHandler!({}, permission, 'attest://app', {})).toBe(false);
    }
    expect(state.deviceHandler!({ deviceType: 'usb', origin: 'attest://app' })).toBe(false);
  });

  it('cancels requests that are neither the app nor DevTools (the page never talks to a model server itself)', () => {
    const { request, blocked } = harden();
    expect(request('https://example.com/')).toBe(false);
    expect(request('http://example.com/track.gif')).toBe(false);
    expect(request('wss://example.com/socket')).toBe(false);
    expect(request('http://127.0.0.1:8080/')).toBe(false);
    expect(request('http://127.0.0.1:11434/api/generate')).toBe(false); // Ollama: the core calls it, never the page
    expect(request('http://localhost:11434/api/tags')).toBe(false);
    expect(request('file:///etc/passwd')).toBe(false);
    expect(request(`${RENDERER_FILE_URL}../../package.json`)).toBe(false);
    expect(request(`${RENDERER_FILE_URL.slice(0, -1)}-evil/index.html`)).toBe(false);
    expect(request('attest://app.evil/index.html')).toBe(false);
    expect(request('not a url')).toBe(false);
    expect(blocked).toContain('https://example.com/');
  });

  it('allows the app itself (custom scheme and its file:// directory), DevTools and local data', () => {
    const { request } = harden();
    expect(request(APP_ENTRY_URL)).toBe(true);
    expect(request('attest://app/assets/index-abc123.js')).toBe(true);
    expect(request(`${RENDERER_FILE_URL}index.html`)).toBe(true);
    expect(request(`${RENDERER_FILE_URL}assets/index.css?v=1`)).toBe(true);
    expect(request('devtools://devtools/bundled/devtools_app.html')).toBe(true);
    expect(request('data:image/png;base64,AAAA')).toBe(true);
  });

  it('adds the CSP header to app responses only', () => {
    const { headers } = harden();
    const app = headers('attest://app/index.html', { 'content-security-policy': ["default-src *"] })!;
    expect(app['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(app['content-security-policy']).toBeUndefined();
    expect(app['X-Content-Type-Options']).toEqual(['nosniff']);
    const ollama = headers('http://127.0.0.1:11434/api/tags', { 'Content-Type': ['application/json'] });
    expect(ollama).toEqual({ 'Content-Type': ['application/json'] });
  });

  it('has a strict CSP that only connects to the app itself', () => {
    const csp = CONTENT_SECURITY_POLICY;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|\*|https?:/);
  });
});

describe('hardenWebContents', () => {
  function fakeContents() {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fake accepts every listener shape
    type AnyListener = (event: PreventableEventLike, ...args: any[]) => void;
    const listeners = new Map<string, AnyListener>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on(event: string, listener: AnyListener) {
        listeners.set(event, listener);
        return contents;
      },
      setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
        openHandler = handler;
      },
    };
    hardenWebContents(contents);
    const fire = (name: string, ...args: unknown[]) => {
      let prevented = false;
      const listener = listeners.get(name);
      if (!listener) throw new Error(`no ${name} listener`);
      listener({ preventDefault: () => (prevented = true) }, ...args);
      return prevented;
    };
    return { fire, open: (url: string) => openHandler!({ url }) };
  }

  it('prevents every navigation, in any frame, and every redirect', () => {
    const { fire } = fakeContents();
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(fire('will-navigate', 'attest://app/index.html')).toBe(true);
    expect(fire('will-frame-navigate', { url: 'https://example.com/', isMainFrame: false })).toBe(true);
    expect(fire('will-redirect', 'https://example.com/')).toBe(true);
  });

  it('denies window.open', () => {
    const { open } = fakeContents();
    expect(open('https://example.com/')).toEqual({ action: 'deny' });
    expect(open('attest://app/index.html')).toEqual({ action: 'deny' });
  });

  it('prevents attaching a <webview>', () => {
    const { fire } = fakeContents();
    expect(fire('will-attach-webview', {}, {})).toBe(true);
  });
});

describe('window and IPC policy', () => {
  it('trusts IPC only from the console itself', () => {
    const trusted = createTrustedSenderCheck(['attest://app/']);
    expect(trusted('attest://app/index.html')).toBe(true);
    expect(trusted('attest://app/index.html#/tickets/T-1')).toBe(true);
    expect(trusted('attest://evil/index.html')).toBe(false);
    expect(trusted('devtools://devtools/bundled/devtools_app.html')).toBe(false);
    expect(trusted('https://example.com/')).toBe(false);
    expect(trusted('data:text/html,hi')).toBe(false);
    expect(trusted('')).toBe(false);
  });

  it('never opens anything externally (no shell / openExternal in the shell sources)', () => {
    for (const dir of ['electron/main', 'electron/preload', 'electron/adapters/ipc']) {
      for (const file of readdirSync(join(process.cwd(), dir))) {
        const source = readFileSync(join(process.cwd(), dir, file), 'utf8');
        expect(source, `${dir}/${file}`).not.toMatch(/\.openExternal\s*\(/);
        for (const match of source.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'electron'/g)) {
          const names = match[1]!.split(',').map((name) => name.trim().split(/\s+as\s+/)[0]);
          expect(names, `${dir}/${file}`).not.toContain('shell');
        }
      }
    }
  });
});

describe('attest:// protocol handler', () => {
  const root = mkdtempSync(join(tmpdir(), 'attest-renderer-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Attest</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  const handler = createAppProtocolHandler({ rendererDir: root, contentSecurityPolicy: "default-src 'self'" });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('maps URLs inside dist/renderer only', () => {
    expect(resolveAppAsset(root, 'attest://app/')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'attest://app/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    // Dot segments (also percent-encoded) are resolved by the URL parser and clamp at the root.
    const inside = (file: string | null) => file === null || file.startsWith(join(root, '/'));
    expect(inside(resolveAppAsset(root, 'attest://app/%2e%2e/%2e%2e/etc/passwd'))).toBe(true);
    expect(inside(resolveAppAsset(root, 'attest://app/../../etc/passwd'))).toBe(true);
    // An encoded slash survives the URL parser; the resolved path must still be refused.
    expect(resolveAppAsset(root, 'attest://app/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppAsset(root, 'attest://app/a%5c..%5c..%5cx')).toBeNull();
    expect(resolveAppAsset(root, 'attest://other/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'https://app/index.html')).toBeNull();
  });

  it('serves files with their type and the CSP header', async () => {
    const page = await handler(new Request('attest://app/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(await page.text()).toContain('<title>Attest</title>');
    const script = await handler(new Request('attest://app/assets/app.js'));
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await handler(new Request('attest://app/assets/missing.js'))).status).toBe(404);
    const escape = await handler(new Request('attest://app/..%2f..%2f..%2fetc%2fpasswd'));
    expect(escape.status).toBe(404);
    expect(await escape.text()).not.toContain('root:');
    expect((await handler(new Request('attest://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});
