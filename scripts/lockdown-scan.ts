// Runs @doyensec/electronegativity over the Electron shell's sources, offline, and fails on any high or medium
// finding. `npm run test:lockdown` (part of `npm test`).
//
// Offline: the scanner makes two network calls of its own. Its translations fetch (`got` in locales/i18n.js, no
// flag turns it off) gets a `got` that refuses at once, so the bundled en-US strings are used; its Electron release
// check (AvailableSecurityFixesGlobalCheck, which downloads Electron's release list from GitHub) is excluded — the
// Electron version is pinned in package.json and reviewed when it is bumped. A guard refuses every socket and DNS
// lookup besides, and the run fails if anything tried one.
//
// What it scans: electron/main, electron/preload, electron/adapters/ipc (the code that creates windows, sessions and
// IPC), the console's index.html (its CSP meta tag) and package.json (the Electron version), copied into a private
// temporary folder. Usage: node scripts/lockdown-scan.ts [--json]
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installNetworkRefusal } from './network-guard.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Directories whose .ts files are the shell (everything that touches BrowserWindow, session, ipcMain, protocol). */
export const SCANNED_DIRS = ['electron/main', 'electron/preload', 'electron/adapters/ipc'] as const;
export const SCANNED_FILES = ['renderer/index.html', 'package.json'] as const;
/** Checks excluded, each with why (nothing else is suppressed). */
export const EXCLUDED_CHECKS: Record<string, string> = {
  AvailableSecurityFixesGlobalCheck: "downloads Electron's release list from GitHub: the scan must not use the network",
};

export interface ScanIssue {
  id: string;
  file: string;
  line: number;
  severity: string;
  confidence: string;
  description: string;
  manualReview: boolean;
}

export interface ScanReport {
  files: string[];
  checks: number;
  issues: ScanIssue[];
  errors: { file: string; message: string }[];
  networkAttempts: string[];
}

type ModuleWithLoad = typeof Module & { _load: (request: string, parent: unknown, isMain: boolean) => unknown };

/** A `got` that never opens a connection: the scanner's own error paths then fall back to its bundled data. */
function offlineGot(): unknown {
  const refuse = (): Promise<never> => Promise.reject(new Error('offline: electronegativity runs without the network'));
  return Object.assign(refuse, { head: refuse, get: refuse, post: refuse, extend: () => offlineGot() });
}

function copyScanSet(into: string): string[] {
  const copied: string[] = [];
  const copy = (file: string): void => {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    copyFileSync(join(root, file), join(into, file));
    copied.push(file);
  };
  for (const dir of SCANNED_DIRS) {
    for (const name of readdirSync(join(root, dir)).filter((file) => file.endsWith('.ts')).sort()) copy(`${dir}/${name}`);
  }
  for (const file of SCANNED_FILES) copy(file);
  return copied;
}

export async function runLockdownScan(): Promise<ScanReport> {
  const attempts: string[] = [];
  const restoreNetwork = installNetworkRefusal((what) => attempts.push(what));
  const mod = Module as ModuleWithLoad;
  const originalLoad = mod._load;
  mod._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'got') return offlineGot();
    return originalLoad.call(this, request, parent, isMain);
  };
  const work = mkdtempSync(join(tmpdir(), 'attest-lockdown-'));
  try {
    const files = copyScanSet(work);
    const run = createRequire(import.meta.url)('@doyensec/electronegativity') as (options: Record<string, unknown>, forCli: boolean) => Promise<{
      globalChecks: number;
      atomicChecks: number;
      errors: { file: string; message: string; tolerable: boolean }[];
      issues: { id: string; file: string; location: { line: number }; severity: { name: string }; confidence: { name: string }; description: string; manualReview: boolean }[];
    }>;
    // The scanner reports through the winston logger and console; keep its chatter out of the test output.
    const log = console.log;
    console.log = () => undefined;
    let result;
    try {
      result = await run({ input: work, customScan: [], excludeFromScan: Object.keys(EXCLUDED_CHECKS), parserPlugins: [], isRelative: true }, false);
    } finally {
      console.log = log;
    }
    return {
      files,
      checks: result.globalChecks + result.atomicChecks,
      issues: result.issues.map((issue) => ({
        id: issue.id,
        file: issue.file === 'N/A' ? 'N/A' : relative(work, join(work, issue.file)),
        line: issue.location.line,
        severity: issue.severity.name,
        confidence: issue.confidence.name,
        description: issue.description,
        manualReview: issue.manualReview,
      })),
      errors: result.errors.filter((error) => !error.tolerable).map(({ file, message }) => ({ file: relative(work, file), message })),
      networkAttempts: attempts,
    };
  } finally {
    mod._load = originalLoad;
    restoreNetwork();
    rmSync(work, { recursive: true, force: true });
  }
}

export const BLOCKING_SEVERITIES = new Set(['HIGH', 'MEDIUM']);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = await runLockdownScan();
  const blocking = report.issues.filter((issue) => BLOCKING_SEVERITIES.has(issue.severity.toUpperCase()));
  if (process.argv.includes('--json')) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`electronegativity: ${report.files.length} files, ${report.checks} checks, offline (${Object.keys(EXCLUDED_CHECKS).join(', ')} excluded)`);
    for (const issue of report.issues) console.log(`  ${issue.severity}/${issue.confidence} ${issue.id} ${issue.file}:${issue.line} ${issue.description}`);
    for (const error of report.errors) console.log(`  parse error ${error.file}: ${error.message}`);
    console.log(`high or medium findings: ${blocking.length}; network attempts: ${report.networkAttempts.length}`);
  }
  process.exitCode = blocking.length > 0 || report.errors.length > 0 || report.networkAttempts.length > 0 ? 1 : 0;
}
