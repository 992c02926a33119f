// Application menu: File (Open database…, Connect to a team ledger…, Import JSONL…, Quit), Edit, View, Help.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { dialog, Menu } from 'electron';
import type { BrowserWindow, MenuItemConstructorOptions, MessageBoxOptions, OpenDialogOptions } from 'electron';
import type { ImportReport, Result } from '../../shared/contract.ts';
import type { CallOptions, CoreHandle } from '../core/service-api.ts';

/** The contract's limit on import.jsonl text. */
const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

export interface MenuContext {
  isPackaged: boolean;
  appName: string;
  appVersion: string;
  getWindow(): BrowserWindow | null;
  getCore(): CoreHandle | null;
  /** How the window's signed-in person calls the core (the menu acts as them, never as nobody). */
  callOptions(): CallOptions;
  getDbPath(): string | null;
  /** Opens the core on `dbPath` and swaps it in; throws (leaving the old database open) on failure. */
  openDatabase(dbPath: string): Promise<void>;
  /** Asks for a team ledger (PostgreSQL) and connects the console to it (team-connection.ts). */
  connectTeam?(): Promise<void>;
  /** Forgets the remembered team ledger and opens the desktop database again. */
  disconnectTeam?(): Promise<void>;
}

async function messageBox(ctx: MenuContext, options: MessageBoxOptions): Promise<void> {
  const window = ctx.getWindow();
  if (window && !window.isDestroyed()) await dialog.showMessageBox(window, options);
  else await dialog.showMessageBox(options);
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function formatImportReport(report: ImportReport): string {
  return [
    `Lines read: ${report.linesRead}`,
    `Events added: ${report.eventsAdded}`,
    `Duplicates skipped: ${report.duplicatesSkipped}`,
    `Tickets touched: ${report.ticketsTouched}`,
    `Ledger head: ${report.headHash}`,
  ].join('\n');
}

async function openDatabaseFromDialog(ctx: MenuContext): Promise<void> {
  const window = ctx.getWindow();
  const options: OpenDialogOptions = {
    title: 'Open Attest database',
    properties: ['openFile'],
    filters: [
      { name: 'Attest database', extensions: ['db', 'sqlite', 'sqlite3'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const choice = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  const file = choice.canceled ? undefined : choice.filePaths[0];
  if (!file) return;
  try {
    await ctx.openDatabase(file);
  } catch (error) {
    await messageBox(ctx, {
      type: 'error',
      title: 'Could not open database',
      message: `Could not open ${basename(file)}`,
      detail: `${describeError(error)}\n\nThe previously open database is still in use.`,
    });
  }
}

let importRunning = false;

async function importJsonlFromDialog(ctx: MenuContext): Promise<void> {
  if (importRunning) return;
  const window = ctx.getWindow();
  const options: OpenDialogOptions = {
    title: 'Import ticket events (JSONL)',
    properties: ['openFile'],
    filters: [
      { name: 'JSON Lines', extensions: ['jsonl', 'ndjson'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const choice = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  const file = choice.canceled ? undefined : choice.filePaths[0];
  if (!file) return;
  const core = ctx.getCore();
  if (!core) return;
  importRunning = true;
  let result: Result<unknown>;
  try {
    const info = await stat(file);
    if (info.size > MAX_IMPORT_BYTES) {
      result = {
        ok: false,
        error: { code: 'import_failed', message: `${basename(file)} is larger than 512 MiB; use \`attest import\` instead` },
      };
    } else {
      const text = await readFile(file, 'utf8');
      result = await core.invoke('import.jsonl', { fileName: basename(file), text }, ctx.callOptions());
    }
  } catch (error) {
    result = { ok: false, error: { code: 'import_failed', message: describeError(error) } };
  } finally {
    importRunning = false;
  }
  if (result.ok) {
    await messageBox(ctx, {
      type: 'info',
      title: 'Import finished',
      message: `Imported ${basename(file)}`,
      detail: formatImportReport(result.value as ImportReport),
    });
  } else {
    const details = result.error.details?.slice(0, 12) ?? [];
    const more = (result.error.details?.length ?? 0) - details.length;
    await messageBox(ctx, {
      type: 'error',
      title: 'Import failed',
      message: `Could not import ${basename(file)}`,
      detail: [result.error.message, ...details, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n'),
    });
  }
}

async function showAbout(ctx: MenuContext): Promise<void> {
  await messageBox(ctx, {
    type: 'info',
    title: `About ${ctx.appName}`,
    message: `${ctx.appName} ${ctx.appVersion}`,
    detail: [
      'Offline console for auditing AI helpdesk tickets in a tamper-evident ledger.',
      '',
      `Database: ${ctx.getDbPath() ?? '(none)'}`,
      `Electron ${process.versions.electron ?? '?'} · Chromium ${process.versions.chrome ?? '?'} · Node ${process.versions.node}`,
    ].join('\n'),
  });
}

export function buildMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const run = (action: () => Promise<void>) => () => {
    action().catch((error: unknown) => console.error('attest: menu action failed:', error));
  };
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ role: 'appMenu' });
  template.push(
    {
      label: 'File',
      submenu: [
        { label: 'Open Database…', accelerator: 'CmdOrCtrl+O', click: run(() => openDatabaseFromDialog(ctx)) },
        ...(ctx.connectTeam ? [{ label: 'Connect to a team ledger…', click: run(ctx.connectTeam) }] : []),
        ...(ctx.disconnectTeam ? [{ label: 'Disconnect from the team ledger', click: run(ctx.disconnectTeam) }] : []),
        { label: 'Import JSONL…', accelerator: 'CmdOrCtrl+I', click: run(() => importJsonlFromDialog(ctx)) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(ctx.isPackaged ? [] : [{ role: 'toggleDevTools' } as MenuItemConstructorOptions]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Help',
      submenu: [{ label: `About ${ctx.appName}`, click: run(() => showAbout(ctx)) }],
    },
  );
  return template;
}

export function buildAppMenu(ctx: MenuContext): Menu {
  return Menu.buildFromTemplate(buildMenuTemplate(ctx));
}
