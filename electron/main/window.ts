// Every window of the app is made here, by createHardenedWindow, with its webPreferences written out literally so
// that a reviewer and electronegativity (npm run test:lockdown) see them at the one `new BrowserWindow`. The
// hardening of the web contents themselves (navigation, new windows, <webview>) is in security.ts, applied to every
// web contents via app 'web-contents-created'; sessions are hardened in main.ts.
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';

/** A window's options besides webPreferences, which are always the hardened ones below. */
export type HardenedWindowOptions = Omit<BrowserWindowConstructorOptions, 'webPreferences'>;

/**
 * A window that is isolated (contextIsolation), sandboxed, without Node (also not in workers or sub-frames), with
 * web security on, no insecure content, no <webview>, no experimental features, and no middle-click "auxclick"
 * (which could open a link in a new window). `preload`: the console's bridge; other windows get none.
 */
export function createHardenedWindow(options: HardenedWindowOptions, preload?: string): BrowserWindow {
  return new BrowserWindow({
    ...options,
    webPreferences: {
      ...(preload ? { preload } : {}),
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
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  });
}

export interface MainWindowOptions {
  preloadPath: string;
  /** attest://app/index.html, or a file:// URL when ATTEST_LOAD_FROM_FILE=1 is set. */
  entryUrl: string;
  title: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = createHardenedWindow(
    {
      width: 1440,
      height: 900,
      minWidth: 960,
      minHeight: 600,
      show: false,
      title: options.title,
      backgroundColor: '#0f1115',
      autoHideMenuBar: false,
    },
    options.preloadPath,
  );

  // Keep our title (it names the open database) instead of the page's <title>.
  window.on('page-title-updated', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  // Fallback: show even if the first paint never reports (e.g. a broken build) so errors are visible.
  const showTimer = setTimeout(() => {
    if (!window.isDestroyed() && !window.isVisible()) window.show();
  }, 5000);
  window.on('closed', () => clearTimeout(showTimer));

  void window.loadURL(options.entryUrl).catch((error: unknown) => {
    console.error(`attest: could not load the console from ${options.entryUrl}:`, error);
  });
  return window;
}
