// Electron's security checklist, tried against the real shell: the bundled main process (dist-electron/main.cjs,
// built here) runs against a fake 'electron' in plain Node, and every window, web contents, session, IPC channel and
// the fuse configuration of the packaged build are checked by trying what an attacker would.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security.ts';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { buildElectron } from '../../scripts/build-electron.ts';
import { createFakeElectron, loadWithFakeElectron, type FakeWindow } from '../electron/fake-electron.ts';

const root = process.cwd();
const projectRequire = createRequire(import.meta.url);
const CONSOLE = 'attest://app/index.html';

/** A CSP as directive → sources. */
function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** The sources that would let a page run script it did not ship (or load it from anywhere). */
const UNSAFE_SCRIPT_SOURCES = /^('unsafe-inline'|'unsafe-eval'|'unsafe-hashes'|'wasm-unsafe-eval'|\*|https?:|data:|blob:|filesystem:)$/i;

function expectStrictCsp(policy: string, where: string): void {
  const csp = parseCsp(policy);
  for (const directive of ['default-src', 'script-src', 'style-src']) {
    const sources = csp.get(directive);
    expect(sources, `${where}: ${directive}`).toBeDefined();
    expect(sources!.filter((source) => UNSAFE_SCRIPT_SOURCES.test(source)), `${where}: ${directive}`).toEqual([]);
  }
  expect(csp.has('script-src-elem') || csp.has('script-src-attr'), `${where}: no looser per-element script rules`).toBe(false);
  expect(csp.get('object-src'), where).toEqual(["'none'"]);
  expect(csp.get('base-uri'), where).toEqual(["'none'"]);
  expect(csp.get('connect-src'), `${where}: the page connects only to the app`).toEqual(["'self'"]);
}

describe('the CSP', () => {
  it('has no unsafe-inline / unsafe-eval scripts, no remote origin, in the header and in index.html', () => {
    expectStrictCsp(CONTENT_SECURITY_POLICY, 'header');
    const html = readFileSync(join(root, 'renderer', 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
    expect(meta, 'index.html carries the CSP as a meta tag (seen before any header, and by the scanner)').toBeDefined();
    expectStrictCsp(meta!, 'index.html');
    // The meta tag says what the header says (frame-ancestors only works as a header).
    const header = parseCsp(CONTENT_SECURITY_POLICY);
    for (const [directive, sources] of parseCsp(meta!)) expect(sources, directive).toEqual(header.get(directive));
    // No inline script or style in the page (they would need 'unsafe-inline').
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style[\s>]|\son[a-z]+=/i);
  });

  it('catches an unsafe policy (the check itself can fail)', () => {
    expect(() => expectStrictCsp("default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'; base-uri 'none'; connect-src 'self'", 'probe')).toThrow();
    expect(() => expectStrictCsp("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; connect-src 'self'", 'probe')).toThrow();
  });
});

describe('the shell, bundled, against a fake electron', () => {
  let work: string;
  let fake: ReturnType<typeof createFakeElectron>;
  let unhook: () => void;
  let dbPath: string;
  const consoleWindow: () => FakeWindow = () => fake.windows[0]!;
  const eventCount = (): number => {
    const db = openDatabase(dbPath);
    try {
      return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'attest-lockdown-'));
    const appPath = join(work, 'app');
    await buildElectron({ outDir: join(appPath, 'dist-electron'), quiet: true });
    mkdirSync(join(appPath, 'dist', 'renderer'), { recursive: true });
    copyFileSync(join(root, 'renderer', 'index.html'), join(appPath, 'dist', 'renderer', 'index.html'));
    dbPath = join(work, 'lockdown.db');
    createDemoDatabase(dbPath, { tickets: 5, seed: 11, accounts: false });
    fake = createFakeElectron({ appPath, userData: join(work, 'user') });
    unhook = loadWithFakeElectron(join(appPath, 'dist-electron', 'main.cjs'), fake.electron, ['.', `--db=${dbPath}`]);
    fake.emitReady();
    for (let i = 0; i < 200 && fake.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(fake.errorBoxes).toEqual([]);
    // Open the other window the shell has (File > Connect to a team ledger…), so every kind of window is checked.
    const menu = fake.menu() as { label?: string; submenu?: { label?: string; click?: () => void }[] }[];
    menu.find((m) => m.label === 'File')!.submenu!.find((item) => item.label === 'Connect to a team ledger…')!.click!();
    for (let i = 0; i < 200 && fake.windows.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  }, 120_000);

  afterAll(() => {
    fake?.emitApp('will-quit');
    unhook?.();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('makes every window sandboxed and isolated, without Node, <webview>, insecure content or auxclick', () => {
    expect(fake.windows.length).toBe(2);
    for (const window of fake.windows) {
      expect(window.options.webPreferences, window.title).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        disableBlinkFeatures: 'Auxclick',
      });
      expect(window.options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    }
    // Only the console gets the bridge; the team-ledger form gets none.
    expect(consoleWindow().options.webPreferences.preload).toMatch(/preload\.cjs$/);
    expect(fake.windows[1]!.options.webPreferences).not.toHaveProperty('preload');
  });

  it('makes windows in one place only (so no window can miss the hardening)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(path);
        else if (/\.tsx?$/.test(entry.name) && /new\s+(BrowserWindow|BrowserView|WebContentsView)\s*\(/.test(readFileSync(join(root, path), 'utf8'))) offenders.push(path);
      }
    };
    walk('electron');
    expect(offenders).toEqual(['electron/main/window.ts']);
  });

  it('enables the sandbox for every renderer and serves the console from attest://, not file://', () => {
    expect(consoleWindow().url).toBe(CONSOLE);
    expect(fake.privilegedSchemes).toEqual([{ scheme: 'attest', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  });

  it('refuses navigation (any frame, redirects), new windows and <webview> with untrusted URLs', () => {
    const untrusted = ['https://example.com/', 'http://127.0.0.1:11434/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>1</script>', 'attest://evil/index.html'];
    for (const window of fake.windows) {
      const fire = (name: string, ...args: unknown[]): boolean => {
        const listeners = window.contentsListeners.get(name) ?? [];
        expect(listeners.length, `${window.title}: ${name} handled`).toBeGreaterThan(0);
        let prevented = false;
        for (const listener of listeners) listener({ preventDefault: () => (prevented = true) }, ...args);
        return prevented;
      };
      for (const url of [...untrusted, CONSOLE]) {
        expect(fire('will-navigate', url), url).toBe(true);
        expect(fire('will-frame-navigate', { url, isMainFrame: false }), url).toBe(true);
        expect(fire('will-redirect', url), url).toBe(true);
        expect(window.windowOpenHandler!({ url }), url).toEqual({ action: 'deny' });
      }
      expect(fire('will-attach-webview', { preload: '/tmp/evil.js' }, { src: 'https://example.com/' })).toBe(true);
    }
  });

  it('never opens anything outside the app (no shell.openExternal, whatever the page asks)', () => {
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'smb://host/share']) consoleWindow().windowOpenHandler!({ url });
    expect(fake.externalOpens).toEqual([]);
    const bundle = readFileSync(join(work, 'app', 'dist-electron', 'main.cjs'), 'utf8');
    expect(bundle).not.toMatch(/\.openExternal\s*\(|\.openPath\s*\(/);
  });

  it('denies every permission and device, and cancels every request that is not the app', () => {
    const state = fake.sessionState as {
      permissionRequest: (wc: unknown, permission: string, cb: (granted: boolean) => void, details: unknown) => void;
      permissionCheck: (wc: unknown, permission: string, origin: string, details: unknown) => boolean;
      devicePermission: (details: unknown) => boolean;
      beforeRequest: (details: { url: string }, cb: (response: { cancel?: boolean }) => void) => void;
    };
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'hid', 'serial', 'usb', 'display-capture']) {
      let granted: boolean | undefined;
      state.permissionRequest({}, permission, (value) => (granted = value), { requestingUrl: CONSOLE });
      expect(granted, permission).toBe(false);
      expect(state.permissionCheck({}, permission, 'attest://app', {}), permission).toBe(false);
    }
    expect(state.devicePermission({ deviceType: 'hid', origin: 'attest://app' })).toBe(false);
    const allowed = (url: string): boolean => {
      let cancel: boolean | undefined;
      state.beforeRequest({ url }, (response) => (cancel = response.cancel));
      return cancel === false;
    };
    expect(allowed('attest://app/assets/index.js')).toBe(true);
    for (const url of ['https://example.com/x.js', 'http://127.0.0.1:11434/api/chat', 'ws://127.0.0.1:9/', `file://${join(work, 'app', 'dist', 'renderer', 'index.html')}`, 'file:///etc/passwd']) {
      expect(allowed(url), url).toBe(false);
    }
  });

  it('sends the strict CSP with every attest:// response', async () => {
    const handler = fake.protocolHandlers.get('attest')!;
    for (const url of [CONSOLE, 'attest://app/missing.js', 'attest://app/..%2f..%2fetc%2fpasswd']) {
      const response = await handler(new Request(url));
      expect(response.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('refuses IPC from an unexpected frame without reaching the core', async () => {
    const before = eventCount();
    const frames: [string, unknown][] = [
      ['another origin', { senderFrame: { url: 'https://example.com/', parent: null } }],
      ['a look-alike app host', { senderFrame: { url: 'attest://app.evil/index.html', parent: null } }],
      ['DevTools', { senderFrame: { url: 'devtools://devtools/bundled/devtools_app.html', parent: null } }],
      ['a data: page (the team form)', { senderFrame: { url: 'data:text/html,<form>', parent: null } }],
      ['a file:// page', { senderFrame: { url: 'file:///etc/passwd', parent: null } }],
      ['a sub-frame showing the console', { senderFrame: { url: CONSOLE, parent: { url: CONSOLE } } }],
      ['a frame that is gone', { senderFrame: null }],
      ['a frame whose URL throws', { senderFrame: { get url(): string { throw new Error('frame destroyed'); }, parent: null } }],
    ];
    for (const method of ['users.add', 'ai.configure', 'ai.allowRemoteHost', 'import.jsonl', 'tickets.list'] as const) {
      for (const [what, event] of frames) {
        const result = await fake.invokeRaw(`attest:${method}`, event, { name: 'x' });
        expect(result, `${method} from ${what}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    }
    expect(eventCount()).toBe(before);
    // The console's own top frame is heard (so the refusals above are about the frame, not a dead channel).
    expect(await fake.invokeRaw('attest:tickets.list', { senderFrame: { url: CONSOLE, parent: null }, sender: { id: 1 } }, {})).toMatchObject({ ok: true });
  });

  it('refuses IPC with invalid input for every contract method, and the ledger stays as it was', async () => {
    const before = eventCount();
    const top = { senderFrame: { url: CONSOLE, parent: null }, sender: { id: 1 } };
    for (const method of METHOD_NAMES) {
      for (const input of ['not an input', 42, [], { 'attest-probe': true }]) {
        expect(await fake.invokeRaw(`attest:${method}`, top, input), `${method} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      }
      expect(await fake.invokeRaw(`attest:${method}`, top, {}, { extra: 1 }), `${method} with two arguments`).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    // A settings change to a file: URL or a remote host nobody allowed is refused by the schema / the rule book.
    const settings = { model: 'm', confidenceThreshold: 0.5, parallel: 1, redaction: { card: true, iban: true, email: true, phone: true }, reason: 'lockdown' };
    for (const host of ['file:///etc/passwd', 'data:text/plain,x', 'ftp://ollama.example.org', 'http://user:pw@127.0.0.1:11434', 'http://ollama.example.org:11434']) {
      expect(await fake.invokeRaw('attest:ai.configure', top, { ...settings, host }), host).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(eventCount()).toBe(before);
  });
});

describe('fuses of the packaged app', () => {
  const REQUIRED = {
    RunAsNode: false,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
    EnableCookieEncryption: true,
    GrantFileProtocolExtraPrivileges: false,
  } as const;

  /** The fuse configuration electron-builder applies (its own translation of electron-builder.yml's electronFuses). */
  async function builderFuseConfig(): Promise<Record<string, unknown>> {
    const yaml = projectRequire('js-yaml') as { load(text: string): { electronFuses?: Record<string, boolean> } };
    const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
    expect(config.electronFuses, 'electron-builder.yml sets electronFuses').toBeDefined();
    const { PlatformPackager } = projectRequire('app-builder-lib') as {
      PlatformPackager: { prototype: { generateFuseConfig(fuses: Record<string, boolean>): Promise<Record<string, unknown>> } };
    };
    return PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses!);
  }

  it('are set in the build: RunAsNode, NODE_OPTIONS, --inspect off; asar-only with integrity; cookies encrypted', async () => {
    const { FuseV1Options, FuseVersion } = await import('@electron/fuses');
    const config = await builderFuseConfig();
    expect(config.version).toBe(FuseVersion.V1);
    for (const [name, value] of Object.entries(REQUIRED)) {
      expect(config[FuseV1Options[name as keyof typeof FuseV1Options]], name).toBe(value);
    }
  });

  // Where the electron package keeps its binary, found without require('electron'): that would download a missing
  // binary, and no test reaches the internet.
  const electronPath = ((): string | null => {
    const packageDir = dirname(projectRequire.resolve('electron/package.json'));
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
    const binary = join(distDir, readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  })();
  if (!electronPath) console.log('electron-lockdown: Electron binary not available — skipping the read-back of the fuses from a binary.');

  it.skipIf(!electronPath)('read back from an Electron binary flipped with that configuration (@electron/fuses)', async () => {
    const { flipFuses, getCurrentFuseWire, FuseState, FuseV1Options } = await import('@electron/fuses');
    const dir = mkdtempSync(join(tmpdir(), 'attest-fuses-'));
    try {
      const binary = join(dir, 'electron');
      copyFileSync(electronPath!, binary);
      await flipFuses(binary, (await builderFuseConfig()) as Parameters<typeof flipFuses>[1]);
      const wire = await getCurrentFuseWire(binary);
      for (const [name, value] of Object.entries(REQUIRED)) {
        expect(wire[FuseV1Options[name as keyof typeof FuseV1Options]], name).toBe(value ? FuseState.ENABLE : FuseState.DISABLE);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are not undone by anything the app needs (it forks nothing and reads no NODE_OPTIONS)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(path);
        else if (/\.ts$/.test(entry.name) && /child_process|ELECTRON_RUN_AS_NODE|NODE_OPTIONS/.test(readFileSync(join(root, path), 'utf8'))) offenders.push(path);
      }
    };
    for (const dir of ['electron/main', 'electron/core', 'electron/preload', 'electron/adapters/ipc']) walk(dir);
    expect(offenders).toEqual([]);
  });
});
