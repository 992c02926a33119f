// "Connect to a team ledger…" in Electron: a small window asks for the team's PostgreSQL (host, port, database,
// user, password), the console connects and catches up, and the choice is remembered in the user data folder (the
// password encrypted with safeStorage, see team-config.ts). Everything that can run without Electron is in
// team-config.ts; this file is only the window, safeStorage and the dialogs.
import { dialog, safeStorage, type BrowserWindow } from 'electron';
import type { KeyProtector } from '../core/checkpoints/installation-key.ts';
import { createHardenedWindow } from './window.ts';
import {
  connectFormHtml,
  describeConnection,
  htmlDataUrl,
  parseTeamFields,
  passwordStorageWarning,
  replicaFileName,
  TeamConfigError,
  teamUrl,
  type ConnectFormFields,
  type SavedTeamConnection,
  type TeamConnectionFields,
  type TeamConnectionStore,
} from './team-config.ts';

/** safeStorage as a protector (after 'ready'), or null where this computer cannot encrypt. */
export function safeStorageProtector(): KeyProtector | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  return {
    encrypt: (plain) => safeStorage.encryptString(plain.toString('utf8')),
    decrypt: (encrypted) => Buffer.from(safeStorage.decryptString(encrypted), 'utf8'),
  };
}

/** Linux only: which secret store safeStorage uses ('basic_text' when there is no keyring). */
export function safeStorageBackend(): string | null {
  return process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
}

// Waits in the form's page for Connect or Cancel; executeJavaScript resolves with what this promise resolves to.
const SUBMITTED = `new Promise((resolve) => {
  const form = document.getElementById('team');
  form.addEventListener('submit', (event) => { event.preventDefault(); resolve(Object.fromEntries(new FormData(form))); });
  document.getElementById('cancel').addEventListener('click', () => resolve(null));
})`;

interface ConnectWindow {
  /** Shows the form (again, with an error); resolves with the submitted fields, or null when cancelled or closed. */
  ask(form: Parameters<typeof connectFormHtml>[0]): Promise<Record<string, string> | null>;
  close(): void;
}

function openConnectWindow(parent: BrowserWindow | null): ConnectWindow {
  // The console's own hardening, without its preload: this page gets no bridge at all.
  const window = createHardenedWindow({
    ...(parent ? { parent, modal: true } : {}),
    width: 460,
    height: 560,
    resizable: false,
    minimizable: false,
    maximizable: false,
    show: false,
    title: 'Connect to a team ledger',
    backgroundColor: '#0f1115',
  });
  window.setMenuBarVisibility(false);
  window.on('page-title-updated', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  let closed = false;
  const whenClosed = new Promise<null>((resolve) =>
    window.once('closed', () => {
      closed = true;
      resolve(null);
    }),
  );
  return {
    async ask(form) {
      if (closed) return null;
      const submitted = window
        .loadURL(htmlDataUrl(connectFormHtml(form)))
        .then(() => window.webContents.executeJavaScript(SUBMITTED, true) as Promise<Record<string, string> | null>)
        .catch(() => null);
      return Promise.race([submitted, whenClosed]);
    },
    close() {
      if (!closed && !window.isDestroyed()) window.close();
    },
  };
}

export interface TeamConnectContext {
  store: TeamConnectionStore;
  parent(): BrowserWindow | null;
  /**
   * Opens a core on the replica file in team mode and swaps it in once it caught up with the team ledger; throws why
   * not (the open database stays in use then).
   */
  connect(connection: SavedTeamConnection, url: string, replicaPath: string): Promise<void>;
}

/**
 * Asks for the team ledger until the console connected to it (true) or the person cancelled (false). `notice`
 * says why it asks (e.g. the saved password could not be decrypted at start).
 */
export async function connectToTeamFromDialog(ctx: TeamConnectContext, notice: string | null = null): Promise<boolean> {
  const saved = ctx.store.load();
  let fields: ConnectFormFields | undefined = saved?.connection;
  let error = notice;
  const storageWarning = ctx.store.canKeepPassword
    ? passwordStorageWarning(safeStorageBackend())
    : 'This computer offers no encrypted storage: the password will not be remembered, Attest asks for it at each start.';
  const window = openConnectWindow(ctx.parent());
  try {
    for (;;) {
      const submitted = await window.ask({ fields, error, warning: storageWarning });
      if (!submitted) return false;
      fields = submitted;
      let parsed: TeamConnectionFields;
      try {
        parsed = parseTeamFields(submitted);
      } catch (problem) {
        if (!(problem instanceof TeamConfigError)) throw problem;
        error = problem.message;
        continue;
      }
      const password = submitted.password ?? '';
      const connection: SavedTeamConnection = { ...parsed, replicaFile: replicaFileName(parsed), passwordSaved: false };
      try {
        await ctx.connect(connection, teamUrl(parsed, password), ctx.store.replicaPath(connection));
      } catch (failure) {
        error = `Could not connect to ${describeConnection(parsed)}: ${(failure as Error).message}`;
        continue;
      }
      window.close();
      ctx.store.save(parsed, (await keepPassword(ctx)) ? password : null);
      return true;
    }
  } finally {
    window.close();
  }
}

/** Whether the password is kept: never without encryption; on a keyring-less Linux only if the person agrees. */
async function keepPassword(ctx: TeamConnectContext): Promise<boolean> {
  if (!ctx.store.canKeepPassword) return false;
  const warning = passwordStorageWarning(safeStorageBackend());
  if (!warning) return true;
  const options = {
    type: 'warning' as const,
    title: 'Remember the password?',
    message: 'Remember the team ledger password on this computer?',
    detail: `${warning}\n\nIf it is not remembered, Attest asks for it at each start.`,
    buttons: ['Remember it', 'Do not remember it'],
    defaultId: 1,
    cancelId: 1,
  };
  const parent = ctx.parent();
  const choice = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  return choice.response === 0;
}
