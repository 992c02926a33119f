// The Electron IPC adapter, exercised in plain Node with a fake ipcMain and a fake core.
import { describe, expect, it, vi } from 'vitest';
import { CORE_EVENT_NAMES, METHOD_NAMES } from '../../shared/contract.ts';
import type { CoreEventName, CoreEvents, Result } from '../../shared/contract.ts';
import type { CoreHandle, WireResult } from '../../electron/core/service-api.ts';
import { PRELOAD_EVENT_NAMES, isCoreEventName, resultOfIpcAnswer, type IpcAnswer } from '../../electron/adapters/ipc/channels.ts';
import { JsonText } from '../../electron/core/json-text.ts';
import {
  eventChannel,
  forwardCoreEvents,
  methodChannel,
  registerCoreIpc,
  type IpcInvokeEventLike,
  type IpcMainLike,
} from '../../electron/adapters/ipc/register-ipc.ts';

// The preload runs against this fake 'electron' (see the 'preload bridge' tests below).
const bridge = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    exposed,
    invoked,
    listeners,
    electron: {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
      ipcRenderer: {
        invoke: async (channel: string, ...args: unknown[]) => {
          invoked.push({ channel, args });
          // As the main process answers a value a read thread wrote as JSON: bytes, for the preload to parse.
          if (channel === 'attest:outcomes.statement') return { ok: true, valueJson: new TextEncoder().encode(JSON.stringify(channel)) };
          return { ok: true, value: channel };
        },
        on: (channel: string, listener: (...args: unknown[]) => void) => {
          const set = listeners.get(channel) ?? new Set();
          set.add(listener);
          listeners.set(channel, set);
        },
        removeListener: (channel: string, listener: (...args: unknown[]) => void) => {
          listeners.get(channel)?.delete(listener);
        },
      },
    },
  };
});
vi.mock('electron', () => ({ ...bridge.electron, default: bridge.electron }));

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async call(channel: string, frameUrl: string | null, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args);
  }
}

class FakeCore implements CoreHandle {
  readonly calls: { method: string; input: unknown }[] = [];
  readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  closed = false;
  /** Methods whose value this core answers the wire as JSON text, as one computed on a read thread comes. */
  readonly jsonText = new Set<string>();
  async invoke(method: string, input: unknown): Promise<Result<unknown>> {
    this.calls.push({ method, input });
    if (method === 'tickets.get') return { ok: false, error: { code: 'not_found', message: 'ticket T-1 not found' } };
    return { ok: true, value: { method, echo: input } };
  }
  async invokeForWire(method: string, input: unknown): Promise<WireResult<unknown>> {
    const result = await this.invoke(method, input);
    return result.ok && this.jsonText.has(method) ? { ok: true, value: JsonText.of(result.value) } : result;
  }
  subscribe<E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (payload: unknown) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (payload: unknown) => void);
  }
  emit<E extends CoreEventName>(event: E, payload: CoreEvents[E]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }
  hasSession(): boolean {
    return true;
  }
  async endAllSessions(): Promise<void> {}
  close(): void {
    this.closed = true;
  }  async closeAsync(): Promise<void> {
    this.close();
  }
  async syncTeam(): Promise<void> {}

}

const APP_URL = 'attest://app/index.html';
const trusted = (url: string) => url.startsWith('attest://app/');

describe('registerCoreIpc', () => {
  it('registers exactly one attest:<method> handler per contract method', () => {
    const ipc = new FakeIpcMain();
    registerCoreIpc(ipc, new FakeCore(), trusted);
    expect([...ipc.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `attest:${m}`).sort());
    for (const method of METHOD_NAMES) expect(methodChannel(method)).toBe(`attest:${method}`);
  });

  it('passes the input to the core and its Result back unchanged', async () => {
    const ipc = new FakeIpcMain();
    const core = new FakeCore();
    registerCoreIpc(ipc, core, trusted);
    for (const method of METHOD_NAMES) {
      const input = { probe: method };
      const result = await ipc.call(methodChannel(method), APP_URL, input);
      if (method === 'tickets.get') {
        expect(result).toEqual({ ok: false, error: { code: 'not_found', message: 'ticket T-1 not found' } });
      } else {
        expect(result).toEqual({ ok: true, value: { method, echo: input } });
      }
    }
    expect(core.calls.map((c) => c.method)).toEqual(METHOD_NAMES);
  });

  it('sends a value written as JSON on a read thread as those bytes, which the preload reads back as the value', async () => {
    const ipc = new FakeIpcMain();
    const core = new FakeCore();
    core.jsonText.add('outcomes.statement');
    registerCoreIpc(ipc, core, trusted);
    const input = { period: '2026-10' };
    const answer = (await ipc.call(methodChannel('outcomes.statement'), APP_URL, input)) as IpcAnswer;
    expect(answer).toEqual({ ok: true, valueJson: new TextEncoder().encode(JSON.stringify({ method: 'outcomes.statement', echo: input })) });
    expect(resultOfIpcAnswer(answer)).toEqual({ ok: true, value: { method: 'outcomes.statement', echo: input } });
    // Every other answer crosses as the Result itself.
    expect(await ipc.call(methodChannel('tickets.list'), APP_URL, input)).toEqual({ ok: true, value: { method: 'tickets.list', echo: input } });
  });

  it('refuses untrusted, missing and throwing sender frames without reaching the core', async () => {
    const ipc = new FakeIpcMain();
    const core = new FakeCore();
    registerCoreIpc(ipc, core, trusted);
    for (const url of ['https://example.com/', 'devtools://devtools/bundled/inspector.html', 'file:///etc/passwd', '', null]) {
      const result = (await ipc.call('attest:tickets.list', url, {})) as Result<unknown>;
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('forbidden');
    }
    const handler = ipc.handlers.get('attest:session.info')!;
    const exploding = {
      get senderFrame(): { url: string } {
        throw new Error('Render frame was disposed');
      },
    };
    expect(await handler(exploding)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const throwingCheck = new FakeIpcMain();
    registerCoreIpc(throwingCheck, core, () => {
      throw new Error('boom');
    });
    expect(await throwingCheck.call('attest:session.info', APP_URL)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(core.calls).toEqual([]);
  });

  it('turns a throwing core into an internal error Result', async () => {
    const ipc = new FakeIpcMain();
    const core = new FakeCore();
    core.invoke = async () => {
      throw new Error('database is locked');
    };
    registerCoreIpc(ipc, core, trusted);
    expect(await ipc.call('attest:ledger.verify', APP_URL)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'database is locked' },
    });
  });

  it('removes its handlers again (database reopened)', () => {
    const ipc = new FakeIpcMain();
    const dispose = registerCoreIpc(ipc, new FakeCore(), trusted);
    dispose();
    expect(ipc.handlers.size).toBe(0);
    registerCoreIpc(ipc, new FakeCore(), trusted);
    expect(ipc.handlers.size).toBe(METHOD_NAMES.length);
  });
});

describe('forwardCoreEvents', () => {
  it('sends every core event to live windows as attest-event:<name>', () => {
    const core = new FakeCore();
    const sent: { target: string; channel: string; payload: unknown }[] = [];
    const window = (name: string, destroyed = false) => ({
      isDestroyed: () => destroyed,
      send: (channel: string, payload: unknown) => sent.push({ target: name, channel, payload }),
    });
    const targets = [window('main'), window('closed', true)];
    const stop = forwardCoreEvents(core, () => targets);
    const payload = { eventCount: 42, headHash: 'ab'.repeat(32) };
    core.emit('ledger.changed', payload);
    expect(sent).toEqual([{ target: 'main', channel: 'attest-event:ledger.changed', payload }]);
    expect(CORE_EVENT_NAMES.every((name) => (core.listeners.get(name)?.size ?? 0) === 1)).toBe(true);
    stop();
    core.emit('ledger.changed', payload);
    expect(sent).toHaveLength(1);
    expect(eventChannel('ledger.changed')).toBe('attest-event:ledger.changed');
  });
});

describe('preload channel list', () => {
  it('allows exactly the contract events', () => {
    expect([...PRELOAD_EVENT_NAMES].sort()).toEqual([...CORE_EVENT_NAMES].sort());
    expect(isCoreEventName('ledger.changed')).toBe(true);
    expect(isCoreEventName('__proto__')).toBe(false);
    expect(isCoreEventName('attest:tickets.list')).toBe(false);
  });
});

describe('preload bridge', () => {
  it('exposes window.attest with one function per contract method plus subscribe, nothing else', async () => {
    await import('../../electron/preload/preload.ts');
    expect([...bridge.exposed.keys()]).toEqual(['attest']);
    const api = bridge.exposed.get('attest') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'subscribe'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('invokes attest:<method> with the input only', async () => {
    await import('../../electron/preload/preload.ts');
    const api = bridge.exposed.get('attest') as Record<string, (input?: unknown) => Promise<unknown>>;
    bridge.invoked.length = 0;
    for (const method of METHOD_NAMES) {
      expect(await api[method]!({ x: 1 })).toEqual({ ok: true, value: `attest:${method}` });
    }
    expect(bridge.invoked).toEqual(METHOD_NAMES.map((m) => ({ channel: `attest:${m}`, args: [{ x: 1 }] })));
  });

  it('subscribes only to contract events and hands the listener the payload alone', async () => {
    await import('../../electron/preload/preload.ts');
    const api = bridge.exposed.get('attest') as {
      subscribe: (event: string, listener: (payload: unknown) => void) => () => void;
    };
    expect(() => api.subscribe('attest:tickets.list', () => {})).toThrow(/unknown event/);
    expect(() => api.subscribe('ledger.changed', 'nope' as never)).toThrow(/listener/);
    const received: unknown[] = [];
    const unsubscribe = api.subscribe('ledger.changed', (payload) => received.push(payload));
    const channelListeners = bridge.listeners.get('attest-event:ledger.changed')!;
    expect(channelListeners.size).toBe(1);
    const payload = { eventCount: 3, headHash: 'f'.repeat(64) };
    for (const listener of channelListeners) listener({ sender: 'ipc-event-must-not-leak' }, payload);
    expect(received).toEqual([payload]);
    unsubscribe();
    unsubscribe();
    expect(channelListeners.size).toBe(0);
  });
});

describe('bundled main process (dist-electron/main.cjs against a fake electron)', () => {
  it('opens the database, serves the console, wires IPC, the menu and core events', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { buildElectron } = await import('../../scripts/build-electron.ts');
    const { createDemoDatabase } = await import('../../electron/core/demo-database.ts');
    const { openDatabase } = await import('../../electron/core/db/connection.ts');
    const { exportJsonl } = await import('../../electron/core/interchange/jsonl-export.ts');
    const { createFakeElectron, loadWithFakeElectron } = await import('../electron/fake-electron.ts');

    const work = mkdtempSync(join(tmpdir(), 'attest-main-'));
    const appPath = join(work, 'app');
    await buildElectron({ outDir: join(appPath, 'dist-electron'), quiet: true });
    mkdirSync(join(appPath, 'dist', 'renderer'), { recursive: true });
    writeFileSync(join(appPath, 'dist', 'renderer', 'index.html'), '<!doctype html><div id="root"></div>');

    // A small ledger exported as JSONL, to import through the File menu into an empty database.
    const source = join(work, 'source.db');
    createDemoDatabase(source, { tickets: 5, seed: 7, accounts: false });
    const sourceDb = openDatabase(source);
    const jsonl = join(work, 'events.jsonl');
    exportJsonl(sourceDb, jsonl);
    sourceDb.close();
    // As a helpdesk's history: the lines without their chain fields, and without the demo's console sessions, its
    // organization settings and its frozen baseline, which only Attest writes (restoring those needs the export's signed
    // checkpoint, which the menu's import does not take).
    const attestOnly = new Set(['session.started', 'organization.settings', 'baseline.frozen']);
    const history = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => !attestOnly.has(String(line.type)))
      .map(({ seq: _seq, recordedAt: _recordedAt, prevHash: _prevHash, hash: _hash, ...line }) => JSON.stringify(line));
    writeFileSync(jsonl, history.join('\n') + '\n');
    expect(readFileSync(jsonl, 'utf8').length).toBeGreaterThan(0);

    const dbPath = join(work, 'empty.db');
    const fake = createFakeElectron({ appPath, userData: join(work, 'user'), dialogFile: () => jsonl });
    const unhook = loadWithFakeElectron(join(appPath, 'dist-electron', 'main.cjs'), fake.electron, ['.', `--db=${dbPath}`]);
    try {
      expect(fake.privilegedSchemes).toMatchObject([{ scheme: 'attest', privileges: { standard: true, secure: true } }]);
      fake.emitReady();
      for (let i = 0; i < 100 && fake.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(fake.errorBoxes).toEqual([]);
      expect(fake.windows).toHaveLength(1);
      const window = fake.windows[0]!;
      expect(window.url).toBe('attest://app/index.html');
      expect(window.title).toBe('Attest — empty.db');
      expect(window.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webviewTag: false,
        preload: join(appPath, 'dist-electron', 'preload.cjs'),
      });

      // Every web contents is hardened (app 'web-contents-created').
      expect([...window.contentsListeners.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
      expect(window.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });

      // Session hardening is installed.
      expect(Object.keys(fake.sessionState).sort()).toEqual(['beforeRequest', 'devicePermission', 'headersReceived', 'permissionCheck', 'permissionRequest']);

      // The console is served from attest://app with the CSP.
      const page = await fake.protocolHandlers.get('attest')!(new Request('attest://app/index.html'));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");

      // IPC: every contract method, trusted frame only.
      expect([...fake.ipcHandlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `attest:${m}`).sort());
      expect(await fake.invoke('attest:session.info', 'attest://app/index.html')).toEqual({
        ok: true,
        value: { role: 'admin', person: null, actorId: expect.stringMatching(/^os:/), databaseName: 'empty.db', mode: 'electron' },
      });
      expect(await fake.invoke('attest:session.info', 'https://example.com/')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(resultOfIpcAnswer((await fake.invoke('attest:tickets.list', 'attest://app/index.html', {})) as IpcAnswer)).toMatchObject({ ok: true, value: { total: 0 } });

      // Menu: File > Import JSONL… imports through the core and pushes ledger.changed to the window.
      const menu = fake.menu() as { label?: string; submenu?: { label?: string; role?: string; click?: () => void }[] }[];
      expect(menu.map((m) => m.label).filter(Boolean)).toEqual(['File', 'Edit', 'View', 'Help']);
      const file = menu.find((m) => m.label === 'File')!.submenu!;
      const view = menu.find((m) => m.label === 'View')!.submenu!;
      expect(view.some((item) => item.role === 'toggleDevTools')).toBe(true);
      file.find((item) => item.label === 'Import JSONL…')!.click!();
      for (let i = 0; i < 200 && fake.messageBoxes.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(fake.messageBoxes[0], JSON.stringify(fake.messageBoxes[0])).toMatchObject({ type: 'info', title: 'Import finished' });
      expect(window.sent.map((s) => s.channel)).toContain('attest-event:ledger.changed');
      const listed = resultOfIpcAnswer((await fake.invoke('attest:tickets.list', 'attest://app/index.html', {})) as IpcAnswer) as Result<{ total: number }>;
      expect(listed.ok && listed.value.total).toBe(5);

      // File > Open Database… swaps the core and reloads the window.
      const other = join(work, 'other.db');
      createDemoDatabase(other, { tickets: 3, seed: 9, accounts: false });
      const fake2 = fake as typeof fake & { electron: { dialog: { showOpenDialog: () => Promise<unknown> } } };
      fake2.electron.dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [other] });
      file.find((item) => item.label === 'Open Database…')!.click!();
      for (let i = 0; i < 200 && window.reloads === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(window.reloads).toBe(1);
      expect(window.title).toBe('Attest — other.db');
      expect(await fake.invoke('attest:session.info', 'attest://app/index.html')).toMatchObject({
        ok: true,
        value: { databaseName: 'other.db', mode: 'electron' },
      });

      // Locking the computer ends the sessions and sends the window back to its start (the sign-in screen).
      fake.powerMonitor.emit('lock-screen');
      for (let i = 0; i < 200 && window.reloads === 1; i++) await new Promise((r) => setTimeout(r, 10));
      expect(window.reloads).toBe(2);
    } finally {
      fake.emitApp('will-quit'); // closes the core
      unhook();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
