// Opens the real desktop app with Playwright's Electron support and checks the renderer's boundary:
// the console loads, `window.attest` is exactly the contract, and the page has no Node.
// Skips (does not fail) where the Electron binary is not available, e.g. offline CI without the download.
import { DEMO_ACCOUNTS } from '../../electron/core/people/demo-accounts.ts';
import { LoginPage } from '../e2e/pages/login-page.ts';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { METHOD_NAMES } from '../../shared/contract.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function electronBinary(): { path: string } | { reason: string } {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    if (typeof path !== 'string' || !existsSync(path)) return { reason: `no executable at ${String(path)}` };
    return { path };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { reason: message.split('\n')[0] ?? message };
  }
}

const binary = electronBinary();
if ('reason' in binary) console.log(`Electron binary not available: ${binary.reason} — skipping the Electron tests.`);

function launchEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.ELECTRON_RUN_AS_NODE; // would turn the binary into plain Node
  env.ELECTRON_ENABLE_LOGGING = '1';
  return env;
}
const missingBuild = ['dist-electron/main.cjs', 'dist-electron/preload.cjs', 'dist/renderer/index.html'].filter(
  (file) => !existsSync(join(root, file)),
);

test.describe('Electron desktop app', () => {
  test.skip('reason' in binary, `Electron binary not available: ${'reason' in binary ? binary.reason : ''}`);
  test.skip(!('reason' in binary) && missingBuild.length > 0, `run "npm run build" first (missing ${missingBuild.join(', ')})`);

  let app: ElectronApplication;
  let work: string;

  test.beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'attest-electron-'));
    const { createDemoDatabase } = await import('../../electron/core/demo-database.ts');
    const dbPath = join(work, 'e2e.db');
    createDemoDatabase(dbPath, { tickets: 60, seed: 3 });
    app = await electron.launch({
      executablePath: 'path' in binary ? binary.path : undefined,
      args: [root, `--db=${dbPath}`],
      cwd: root,
      env: launchEnv(),
    });
  });

  test.afterAll(async () => {
    await app?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('loads the console from attest://app and exposes only the contract', async () => {
    const page = await app.firstWindow();
    // The demo ledger has accounts: the window opens at the sign-in screen; a supervisor signs in.
    const supervisor = DEMO_ACCOUNTS.find((a) => a.role === 'supervisor')!;
    await new LoginPage(page).signIn(supervisor.account, supervisor.password);
    await expect(page.locator('[data-app-state="loaded"]')).toBeVisible();
    expect(page.url()).toBe('attest://app/index.html');

    const bridge = await page.evaluate(() => {
      const api = (window as unknown as { attest?: Record<string, unknown> }).attest;
      return api ? Object.keys(api).map((key) => [key, typeof api[key]]) : null;
    });
    expect(bridge).not.toBeNull();
    expect(bridge!.map(([key]) => key).sort()).toEqual([...METHOD_NAMES, 'subscribe'].sort());
    expect(bridge!.every(([, type]) => type === 'function')).toBe(true);

    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      module: typeof (globalThis as { module?: unknown }).module,
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined' });

    const session = await page.evaluate(() =>
      (window as unknown as { attest: { 'session.info': () => Promise<unknown> } }).attest['session.info'](),
    );
    expect(session).toMatchObject({ ok: true, value: { mode: 'electron', databaseName: 'e2e.db', person: { account: supervisor.account } } });
  });

  test('refuses to navigate away or open windows', async () => {
    const page = await app.firstWindow();
    await page.evaluate(() => window.open('https://example.com/', '_blank'));
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toBe('attest://app/index.html');
    const blocked = await page.evaluate(async () => {
      try {
        await fetch('https://example.com/');
        return false;
      } catch {
        return true;
      }
    });
    expect(blocked).toBe(true);
  });

  test('the main process has hardened web preferences', async () => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]!.webContents;
      const web = (contents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
      return {
        contextIsolation: web.contextIsolation,
        sandbox: web.sandbox,
        nodeIntegration: web.nodeIntegration,
        webviewTag: web.webviewTag,
      };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
  });
});
