// Every console module that calls a method some role may not call draws its controls through useMayDo with that
// method (disabled with the permission table's reason, data-method set): read from the sources, so a control that
// only appears in states the e2e sweep (tests/e2e/role-controls.spec.ts) does not reach is held to it too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, type Operation } from '../../shared/permissions.ts';

const RENDERER = fileURLToPath(new URL('../../renderer/src/', import.meta.url));
const ALL_ROLES = ['admin', 'supervisor', 'auditor'] as const;

/** Methods some signed-in role may not call (the ones a control must be disabled for). */
const RESTRICTED = (Object.keys(PERMISSIONS) as Operation[]).filter((op) => {
  const entry = PERMISSIONS[op];
  return !op.startsWith('cli.') && entry.public !== true && ALL_ROLES.some((role) => !entry.roles.includes(role));
});

/** Where the control leading to a call is guarded: useMayDo(method) in another module, or a view tab's `requires`. */
type Guard = { module: string; method: string } | { viewRequires: string };

/** Calls that are not a control of their own, by module below renderer/src and method, with their guard. */
const GUARDED_ELSEWHERE: Record<string, Record<string, Guard>> = {
  'state/importer.ts': { 'import.jsonl': { module: 'components/ImportButton.tsx', method: 'import.jsonl' } },
  'views/imports/upload.ts': {
    'imports.upload': { module: 'views/imports/ImportsView.tsx', method: 'imports.upload' },
    'imports.start': { module: 'views/imports/ImportsView.tsx', method: 'imports.start' },
  },
  'views/imports/MappingEditor.tsx': { 'imports.preview': { module: 'views/imports/ImportsView.tsx', method: 'imports.preview' } },
  // Polling and cancelling the run this console started: there is one only after the guarded Import started it.
  'views/imports/ImportsView.tsx': {
    'imports.status': { module: 'views/imports/ImportsView.tsx', method: 'imports.start' },
    'imports.cancel': { module: 'views/imports/ImportsView.tsx', method: 'imports.start' },
  },
  'views/outcomes/verification.ts': {
    'outcomes.verify': { module: 'views/outcomes/VerificationPanel.tsx', method: 'outcomes.verify' },
    'outcomes.cancelVerify': { module: 'views/outcomes/VerificationPanel.tsx', method: 'outcomes.cancelVerify' },
  },
  // The view exists to show it: its tab is disabled, with the reason, for roles that may not (components/ViewTabs.tsx).
  'views/registry.ts': { 'access.log': { viewRequires: 'access.log' } },
  'views/people/AccessLogView.tsx': { 'access.log': { viewRequires: 'access.log' } },
};

const read = (file: string): string => readFileSync(join(RENDERER, file), 'utf8');

function holds(guard: Guard): boolean {
  if ('viewRequires' in guard) return read('views/registry.ts').includes(`requires: '${guard.viewRequires}'`) && read('components/ViewTabs.tsx').includes('useMayDo(...(entry.requires');
  return guardedIn(read(guard.module)).has(guard.method);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'api' ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The methods a module names in useMayDo(…) calls. */
const guardedIn = (text: string): Set<string> =>
  new Set([...text.matchAll(/useMayDo\(([^)]*)\)/g)].flatMap((m) => [...m[1]!.matchAll(/'([a-zA-Z]+\.[a-zA-Z]+)'/g)].map((n) => n[1]!)));

describe('console controls and the permission table', () => {
  it('every call of a restricted method sits behind useMayDo with that method', () => {
    const unguarded: string[] = [];
    let calls = 0;
    for (const path of sources(RENDERER)) {
      const file = relative(RENDERER, path).split('\\').join('/');
      const text = read(file);
      const guarded = guardedIn(text);
      for (const method of RESTRICTED) {
        const named = text.split(`'${method}'`).length - 1 - (guarded.has(method) ? 1 : 0);
        if (named <= 0) continue;
        calls++;
        if (guarded.has(method)) continue;
        const elsewhere = GUARDED_ELSEWHERE[file]?.[method];
        if (elsewhere && holds(elsewhere)) continue;
        unguarded.push(`${file}: ${method}`);
      }
    }
    expect(calls, 'the scan found the console’s write calls').toBeGreaterThan(25);
    expect(unguarded).toEqual([]);
  });
});
