// Electron main process: lifecycle, single-instance lock, database selection, IPC wiring.
// Bundled by scripts/build-electron.ts to dist-electron/main.cjs (electron and better-sqlite3 external).
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, powerMonitor, protocol, safeStorage, session } from 'electron';
import { DAILY_CHECKPOINT_MS } from '../core/checkpoints/checkpoint-schedule.ts';
import type { KeyProtector } from '../core/checkpoints/installation-key.ts';
import { setDefaultMigrationsDir } from '../core/db/migrate.ts';
import { setDefaultPgMigrationsDir } from '../core/db/pg-migrate.ts';
import { registerFeatures } from '../core/features.ts';
import { setVerifyWorkerUrl } from '../core/ledger/verify-parallel.ts';
import { setDeepWorkerUrl } from '../core/verification/chain-monitor.ts';
import { setReadWorkerUrl } from '../core/handlers/read-thread.ts';
import { setParseAheadWorkerUrl } from '../core/interchange/parse-ahead.ts';
import { setJobWorkerUrl } from '../core/handlers/job-thread.ts';
import { setResourcesDir } from '../core/resources.ts';
import { openCore } from '../core/service.ts';
import type { CoreHandle } from '../core/service-api.ts';
import { forwardCoreEvents, registerCoreIpc, type WindowSessions } from '../adapters/ipc/register-ipc.ts';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, createAppProtocolHandler } from './app-protocol.ts';
import { DEMO_DATABASE_NAME, ensureDemoDatabase, parseShellArgs } from './database-path.ts';
import { consoleKeyForFile, loadOrCreateDesktopDatabaseKey } from './database-key.ts';
import { startupFailureMessage } from '../core/db/startup-check.ts';
import { buildAppMenu } from './menu.ts';
import { describeConnection, TeamConnectionStore, teamUrl, type SavedTeamConnection } from './team-config.ts';
import { connectToTeamFromDialog, safeStorageProtector } from './team-connection.ts';
import { CONTENT_SECURITY_POLICY, createTrustedSenderCheck, hardenSession, hardenWebContents } from './security.ts';
import { createMainWindow } from './window.ts';

const APP_NAME = 'Attest';

// Must happen before 'ready': the console's own origin, attest://app, behaves like https.
// Deliberately no `corsEnabled`: it would let other origins read attest:// responses; the console only
// loads its own (same-origin) modules, which needs just `standard` + `secure`.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();
app.setName(APP_NAME);
// Same place in development and when packaged (productName "Attest"): appData/Attest.
app.setPath('userData', join(app.getPath('appData'), APP_NAME));

const args = parseShellArgs(process.argv.slice(1));
// --ollama-host is OLLAMA_HOST for the core, which contacts it only if it is this computer or an admin allowed it.
if (args.ollamaHost) process.env.OLLAMA_HOST = args.ollamaHost;

// Paths inside the app (the project directory in development, app.asar when packaged). Launched as
// `electron dist-electron/main.cjs` the app path is the bundle's folder; step up to the project.
const appRoot = basename(app.getAppPath()) === 'dist-electron' ? dirname(app.getAppPath()) : app.getAppPath();
const rendererDir = join(appRoot, 'dist', 'renderer');
const preloadPath = join(appRoot, 'dist-electron', 'preload.cjs');
const rendererFileUrl = pathToFileURL(join(rendererDir, '/')).href;
const loadFromFile = process.env.ATTEST_LOAD_FROM_FILE === '1';
const entryUrl = loadFromFile ? pathToFileURL(join(rendererDir, 'index.html')).href : APP_ENTRY_URL;
// The app itself: attest://app/, and file:// (dist/renderer only) only when the console is loaded from files.
const appOrigins = loadFromFile ? [rendererFileUrl] : [`${APP_ORIGIN}/`];
const isTrustedSender = createTrustedSenderCheck(appOrigins);
const contentSecurityPolicy = CONTENT_SECURITY_POLICY;

// The .sql migrations are copied beside the bundle (dist-electron/migrations) by build-electron.
setDefaultMigrationsDir(join(appRoot, 'dist-electron', 'migrations'));
setDefaultPgMigrationsDir(join(appRoot, 'dist-electron', 'pg-migrations'));
setVerifyWorkerUrl(pathToFileURL(join(appRoot, 'dist-electron', 'verify-worker.cjs')));
setDeepWorkerUrl(pathToFileURL(join(appRoot, 'dist-electron', 'deep-worker.cjs')));
setReadWorkerUrl(pathToFileURL(join(appRoot, 'dist-electron', 'read-worker.cjs')));
setJobWorkerUrl(pathToFileURL(join(appRoot, 'dist-electron', 'job-worker.cjs')));
setParseAheadWorkerUrl(pathToFileURL(join(appRoot, 'dist-electron', 'parse-ahead-worker.cjs')));
// Packaged: electron-builder's extraResources puts resources/ beside the app; in development it is in the project.
setResourcesDir(app.isPackaged ? join(process.resourcesPath, 'resources') : join(appRoot, 'resources'));
registerFeatures();

let mainWindow: BrowserWindow | null = null;
let core: CoreHandle | null = null;
/** The signed-in session of each window of the open core (see registerCoreIpc). */
let windowSessions: WindowSessions = new Map();
let dbPath: string | null = null;
/** The desktop database key (main/database-key.ts), loaded once after 'ready'; null where no key store exists. */
let databaseKey: Buffer | null = null;
/** The team ledger the open core is a replica of (null: a desktop database). */
let team: SavedTeamConnection | null = null;
/** Its URL (with the password: kept in memory only, to reopen it). */
let teamUrlInUse: string | null = null;
let unwire: (() => void) | null = null;

function liveWindows(): BrowserWindow[] {
  return BrowserWindow.getAllWindows().filter((w) => !w.isDestroyed());
}

function windowTitle(): string {
  if (team) return `${APP_NAME} — team ledger ${describeConnection(team)}`;
  return dbPath ? `${APP_NAME} — ${basename(dbPath)}` : APP_NAME;
}

/** The installation key is kept encrypted with the OS keychain where safeStorage has one (after 'ready'). */
function keyProtector(): KeyProtector | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return {
    encrypt: (plain) => safeStorage.encryptString(plain.toString('utf8')),
    decrypt: (encrypted) => Buffer.from(safeStorage.decryptString(encrypted), 'utf8'),
  };
}

/** Opens a core on `path` (a desktop database, or the replica of a team ledger at `teamUrl`). */
function openConsoleCore(path: string, teamUrl?: string): CoreHandle {
  // The embedded demo database: its sign-in screen lists the demo accounts (their passwords are published).
  const demo = path === embeddedDemoPath();
  return openCore({
    dbPath: path, key: consoleKeyForFile(path, args, databaseKey), role: args.role, mode: 'electron', checkpointEveryMs: DAILY_CHECKPOINT_MS, keyProtector: keyProtector(), demo, session: { via: 'console', version: app.getVersion() },
    ...(teamUrl ? { team: { url: teamUrl } } : {}),
  });
}

/** Opens the core on `path` and swaps it in; the old core stays open if this throws. */
function useDatabase(path: string): void {
  swapIn(openConsoleCore(path), path, null);
}

/** The team ledger's replica, in team mode (offline it still opens, read-only). */
function useTeam(connection: SavedTeamConnection, url: string, replicaPath: string): void {
  swapIn(openConsoleCore(replicaPath, url), replicaPath, connection, url);
}

function swapIn(next: CoreHandle, path: string, connection: SavedTeamConnection | null, url: string | null = null): void {
  unwire?.();
  core?.close();
  core = next;
  dbPath = path;
  team = connection;
  teamUrlInUse = url;
  // A new database starts with nobody signed in.
  windowSessions = new Map();
  const disposeIpc = registerCoreIpc(ipcMain, next, isTrustedSender, windowSessions);
  const disposeEvents = forwardCoreEvents(next, () => liveWindows().map((w) => w.webContents));
  unwire = () => {
    disposeEvents();
    disposeIpc();
  };
  for (const window of liveWindows()) window.setTitle(windowTitle());
}

function embeddedDemoPath(): string {
  return join(app.getPath('userData'), DEMO_DATABASE_NAME);
}

/** Locking the computer ends every session (recorded in the access log); the windows return to sign-in. */
async function endSessionsOnLock(): Promise<void> {
  if (!core) return;
  await core.endAllSessions('locked');
  for (const window of liveWindows()) window.webContents.reload();
}

/** The remembered team ledger (encrypted password in the user data folder); made after 'ready' (safeStorage). */
let teamStore: TeamConnectionStore | null = null;
function teamConnections(): TeamConnectionStore {
  return (teamStore ??= new TeamConnectionStore(app.getPath('userData'), safeStorageProtector()));
}

/** Connects only once the team ledger answered and the replica caught up; otherwise the open core stays. */
async function connectToReplica(connection: SavedTeamConnection, url: string, replicaPath: string): Promise<void> {
  // Reconnecting to the file already open (another password, user…): one core at a time may keep a replica in step.
  const previous = core && dbPath === replicaPath ? { team, url: teamUrlInUse } : null;
  if (previous) {
    unwire?.();
    unwire = null;
    await core!.closeAsync();
    core = null;
  }
  const next = openConsoleCore(replicaPath, url);
  try {
    await next.syncTeam();
  } catch (error) {
    await next.closeAsync();
    if (previous?.team && previous.url) useTeam(previous.team, previous.url, replicaPath);
    else if (previous) useDatabase(replicaPath);
    throw error;
  }
  swapIn(next, replicaPath, connection, url);
  for (const window of liveWindows()) window.webContents.reload();
}

async function connectTeam(notice: string | null = null): Promise<void> {
  const parent = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null);
  await connectToTeamFromDialog({ store: teamConnections(), parent, connect: connectToReplica }, notice);
}

/**
 * The remembered team ledger unless --db names a file: opened at once on its replica (it catches up, or stays
 * readable offline). Returns why it could not be opened without asking (then the person is asked once the window
 * is up), or null.
 */
function openRememberedTeam(): { opened: boolean; ask: string | null } {
  if (args.db) return { opened: false, ask: null };
  const saved = teamConnections().load();
  if (!saved) return { opened: false, ask: null };
  if (saved.password === null) {
    return { opened: false, ask: saved.problem ?? `Enter the password of ${describeConnection(saved.connection)} (it was not remembered on this computer).` };
  }
  useTeam(saved.connection, teamUrl(saved.connection, saved.password), teamConnections().replicaPath(saved.connection));
  return { opened: true, ask: null };
}

function resolveStartupDatabase(): string {
  if (args.db) return args.db;
  const demo = embeddedDemoPath();
  if (ensureDemoDatabase(demo, { key: databaseKey })) console.log(`attest: created the demo database ${demo}${databaseKey ? ' (encrypted)' : ''}`);
  return demo;
}

function openWindow(): void {
  mainWindow = createMainWindow({ preloadPath, entryUrl, title: windowTitle() });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

function focusWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

async function start(): Promise<void> {
  await app.whenReady();

  hardenSession(session.defaultSession, {
    allowedOrigins: appOrigins,
    contentSecurityPolicy,
    onBlocked: (url) => console.warn(`attest: blocked request to ${url}`),
  });
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir, contentSecurityPolicy }));

  let askForTeam: string | null = null;
  try {
    // The key new databases are encrypted with, kept with safeStorage (main/database-key.ts); after 'ready'.
    const desktopKey = loadOrCreateDesktopDatabaseKey({ dir: app.getPath('userData'), safeStorage });
    databaseKey = desktopKey.key;
    if (desktopKey.warning) {
      console.warn(`attest: WARNING: ${desktopKey.warning}`);
      void dialog.showMessageBox({ type: 'warning', title: 'Attest: database key not protected by a keyring', message: desktopKey.warning });
    }
    const remembered = openRememberedTeam();
    askForTeam = remembered.ask;
    if (!remembered.opened) useDatabase(resolveStartupDatabase());
  } catch (error) {
    dialog.showErrorBox(
      'Attest could not open its database',
      `${startupFailureMessage(error, args.db ?? embeddedDemoPath())}\n\nStart Attest with --db=FILE to choose another database.`,
    );
    app.exit(1);
    return;
  }

  Menu.setApplicationMenu(
    buildAppMenu({
      isPackaged: app.isPackaged,
      appName: APP_NAME,
      appVersion: app.getVersion(),
      getWindow: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null),
      getCore: () => core,
      callOptions: () => ({ via: 'electron', session: mainWindow && !mainWindow.isDestroyed() ? (windowSessions.get(mainWindow.webContents.id) ?? null) : null }),
      getDbPath: () => dbPath,
      openDatabase: async (path) => {
        useDatabase(path);
        // The console re-reads everything (session info names the database) on reload.
        for (const window of liveWindows()) window.webContents.reload();
      },
      connectTeam: () => connectTeam(),
      disconnectTeam: async () => {
        teamConnections().forget();
        if (!team) return;
        useDatabase(resolveStartupDatabase());
        for (const window of liveWindows()) window.webContents.reload();
      },
    }),
  );

  powerMonitor.on('lock-screen', () => {
    endSessionsOnLock().catch((error: unknown) => console.error('attest: ending the sessions on lock failed:', error));
  });

  openWindow();
  if (askForTeam) await connectTeam(askForTeam);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (app.isReady() && core && liveWindows().length === 0) openWindow();
  });
  app.on('will-quit', () => {
    unwire?.();
    unwire = null;
    core?.close();
    core = null;
  });
  start().catch((error: unknown) => {
    console.error('attest: startup failed:', error);
    dialog.showErrorBox('Attest failed to start', startupFailureMessage(error));
    app.exit(1);
  });
}
