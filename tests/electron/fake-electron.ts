// A minimal stand-in for the 'electron' module, enough to run the bundled main process
// (dist-electron/main.cjs) in plain Node where the Electron binary is not available.
// It records what the main process does so tests can drive IPC, the protocol handler and the menu.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import Module from 'node:module';

type Listener = (...args: unknown[]) => unknown;

export interface FakeWindow {
  options: Record<string, unknown> & { webPreferences: Record<string, unknown> };
  url: string | null;
  title: string;
  destroyed: boolean;
  sent: { channel: string; args: unknown[] }[];
  reloads: number;
  /** webContents event listeners ('will-navigate', …) and the window-open handler the app installed. */
  contentsListeners: Map<string, Listener[]>;
  windowOpenHandler: ((details: { url: string }) => unknown) | null;
}

export function createFakeElectron(options: { appPath: string; userData: string; dialogFile?: () => string | undefined }) {
  const appListeners = new Map<string, Listener[]>();
  const ipcHandlers = new Map<string, Listener>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const privilegedSchemes: unknown[] = [];
  const windows: FakeWindow[] = [];
  const messageBoxes: Record<string, unknown>[] = [];
  const powerMonitor = new EventEmitter();
  const errorBoxes: { title: string; content: string }[] = [];
  const externalOpens: string[] = [];
  const sessionState: Record<string, unknown> = {};
  let menuTemplate: Record<string, unknown>[] | null = null;
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  let isReady = false;
  let exitCode: number | null = null;

  const on = (map: Map<string, Listener[]>) => (event: string, listener: Listener) => {
    map.set(event, [...(map.get(event) ?? []), listener]);
  };

  class BrowserWindow {
    static all: BrowserWindow[] = [];
    static getAllWindows() {
      return BrowserWindow.all.filter((w) => !w.record.destroyed);
    }
    readonly record: FakeWindow;
    readonly listeners = new Map<string, Listener[]>();
    readonly webContents: Record<string, unknown>;
    constructor(opts: FakeWindow['options']) {
      this.record = { options: opts, url: null, title: String(opts.title ?? ''), destroyed: false, sent: [], reloads: 0, contentsListeners: new Map(), windowOpenHandler: null };
      windows.push(this.record);
      BrowserWindow.all.push(this);
      const record = this.record;
      this.webContents = {
        send: (channel: string, ...args: unknown[]) => record.sent.push({ channel, args }),
        isDestroyed: () => record.destroyed,
        reload: () => (record.reloads += 1),
        on: (event: string, listener: Listener) => on(record.contentsListeners)(event, listener),
        setWindowOpenHandler: (handler: (details: { url: string }) => unknown) => (record.windowOpenHandler = handler),
        // A page script that never answers (the team-connection form waits for its person).
        executeJavaScript: () => new Promise(() => undefined),
      };
      for (const listener of appListeners.get('web-contents-created') ?? []) listener({}, this.webContents);
    }
    on(event: string, listener: Listener) {
      on(this.listeners)(event, listener);
      return this;
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    }
    async loadURL(url: string) {
      this.record.url = url;
    }
    isDestroyed() {
      return this.record.destroyed;
    }
    setTitle(title: string) {
      this.record.title = title;
    }
    setMenuBarVisibility() {}
    close() {
      if (this.record.destroyed) return;
      this.record.destroyed = true;
      for (const listener of this.listeners.get('closed') ?? []) listener();
    }
    show() {}
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
    isVisible() {
      return true;
    }
  }

  const electron = {
    app: {
      isPackaged: false,
      enableSandbox() {},
      setName() {},
      setPath() {},
      getPath: (name: string) => (name === 'userData' ? options.userData : options.userData),
      getAppPath: () => options.appPath,
      getVersion: () => '0.0.0-test',
      requestSingleInstanceLock: () => true,
      on: on(appListeners),
      whenReady: () => ready,
      isReady: () => isReady,
      quit() {},
      exit(code: number) {
        exitCode = code;
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: unknown) => (sessionState.permissionRequest = handler),
        setPermissionCheckHandler: (handler: unknown) => (sessionState.permissionCheck = handler),
        setDevicePermissionHandler: (handler: unknown) => (sessionState.devicePermission = handler),
        webRequest: {
          onBeforeRequest: (handler: unknown) => (sessionState.beforeRequest = handler),
          onHeadersReceived: (handler: unknown) => (sessionState.headersReceived = handler),
        },
      },
    },
    ipcMain: {
      handle: (channel: string, listener: Listener) => {
        if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        ipcHandlers.set(channel, listener);
      },
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    BrowserWindow,
    // Records every attempt to open something outside the app (the shell never should: see electron-lockdown.test.ts).
    shell: {
      openExternal: async (url: string) => {
        externalOpens.push(url);
      },
      openPath: async (path: string) => {
        externalOpens.push(path);
        return '';
      },
    },
    // The OS's power events; a test emits 'lock-screen' to lock the computer.
    powerMonitor,
    // Stands in for the OS keychain: reversible, but never the plain text, so a protected key file is not PEM.
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(`fake-keychain:${Buffer.from(plain, 'utf8').toString('base64')}`, 'utf8'),
      decryptString: (encrypted: Buffer) => {
        const text = encrypted.toString('utf8');
        if (!text.startsWith('fake-keychain:')) throw new Error('not encrypted by this keychain');
        return Buffer.from(text.slice('fake-keychain:'.length), 'base64').toString('utf8');
      },
    },
    dialog: {
      showErrorBox: (title: string, content: string) => errorBoxes.push({ title, content }),
      showMessageBox: async (...args: unknown[]) => {
        messageBoxes.push(args[args.length - 1] as Record<string, unknown>);
        return { response: 0 };
      },
      showOpenDialog: async () => {
        const file = options.dialogFile?.();
        return { canceled: !file, filePaths: file ? [file] : [] };
      },
    },
    Menu: {
      buildFromTemplate: (template: Record<string, unknown>[]) => ({ template }),
      setApplicationMenu: (menu: { template: Record<string, unknown>[] }) => (menuTemplate = menu.template),
    },
  };

  return {
    electron,
    ipcHandlers,
    protocolHandlers,
    privilegedSchemes,
    windows,
    messageBoxes,
    errorBoxes,
    externalOpens,
    powerMonitor,
    sessionState,
    menu: () => menuTemplate,
    exitCode: () => exitCode,
    /** Emits an app event ('will-quit', 'second-instance', …) to the main process's listeners. */
    emitApp(event: string, ...args: unknown[]) {
      for (const listener of appListeners.get(event) ?? []) listener(...args);
    },
    emitReady() {
      isReady = true;
      resolveReady();
    },
    /** Calls an `attest:*` handler as if from a frame showing `frameUrl`. */
    invoke(channel: string, frameUrl: string, input?: unknown) {
      const handler = ipcHandlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return handler({ senderFrame: { url: frameUrl } }, input) as Promise<unknown>;
    },
    /** Calls an `attest:*` handler with a raw IpcMainInvokeEvent-like event and raw arguments (frames, sub-frames…). */
    invokeRaw(channel: string, event: unknown, ...args: unknown[]) {
      const handler = ipcHandlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return handler(event, ...args) as Promise<unknown>;
    },
  };
}

type ModuleWithLoad = typeof Module & { _load: (request: string, parent: unknown, isMain: boolean) => unknown };

/**
 * Loads a CJS bundle with `require('electron')` answered by `fake` and the other externals
 * (the SQLite drivers, pdfkit) resolved from the project. Returns a function that undoes the hook.
 */
export function loadWithFakeElectron(bundlePath: string, fake: unknown, argv: string[]): () => void {
  const projectRequire = createRequire(import.meta.url);
  const mod = Module as ModuleWithLoad;
  const originalLoad = mod._load;
  const originalArgv = process.argv;
  // The packages the bundle keeps external (scripts/build-electron.ts), as the packaged app's node_modules would hold them.
  const externals = new Map(['better-sqlite3-multiple-ciphers', 'pdfkit'].map((name) => [name, projectRequire.resolve(name)]));
  mod._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'electron') return fake;
    const external = externals.get(request);
    if (external) return originalLoad.call(this, external, parent, isMain);
    return originalLoad.call(this, request, parent, isMain);
  };
  process.argv = [process.argv[0]!, ...argv];
  try {
    projectRequire(bundlePath);
  } finally {
    process.argv = originalArgv;
  }
  return () => {
    mod._load = originalLoad;
  };
}
