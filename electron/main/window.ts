// The console window. All hardening of its web contents happens in security.ts (applied to every
// web contents via app 'web-contents-created'); this file only builds and loads the window.
import { BrowserWindow } from 'electron';
import { secureWebPreferences } from './security.ts';

export interface MainWindowOptions {
  preloadPath: string;
  /** attest://app/index.html, or a file:// URL when ATTEST_LOAD_FROM_FILE=1 is set. */
  entryUrl: string;
  title: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: options.title,
    backgroundColor: '#0f1115',
    autoHideMenuBar: false,
    webPreferences: secureWebPreferences(options.preloadPath),
  });

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
