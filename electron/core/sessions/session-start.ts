// Which process writes. An entry point declares once how it runs (the console, a CLI command); nothing is written
// then, so a command that only reads never changes the file. The ledger writer asks here, before the first new
// event it records on each UTC day, for the `session.started` line to record first, in the same transaction —
// so every day's first new event of every writing process is its session.started, and a day whose events do not
// begin with one was written by something that did not say who it was (the gap report finds it).
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { SESSION_VIAS } from './session-event-types.ts';

export interface SessionDeclaration {
  via: (typeof SESSION_VIAS)[number];
  command?: string;
  /** Default: the version in package.json beside the sources (the packaged app passes its own). */
  version?: string;
}

interface Recorded {
  day: string;
  seq: number;
  hash: string;
}

let declared: (SessionDeclaration & { version: string }) | null = null;
/** Per ledger file: the session.started this process recorded last (a rolled-back one is recorded again). */
const recorded = new Map<string, Recorded>();

/** The version of Attest these sources are. */
export function attestVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Declares how this process writes; the last declaration wins (`attest serve` is a console started from the CLI). */
export function declareSession(declaration: SessionDeclaration): void {
  declared = { ...declaration, version: declaration.version ?? attestVersion() };
}

/** Forgets the declaration (tests, and a process that stops writing as a session). */
export function endSessionDeclaration(): void {
  declared = null;
  recorded.clear();
}

/**
 * The session.started line to record before a new event recorded at `recordedAt` in the ledger file `dbFile`, or
 * null: nothing declared, or this process already recorded its session that UTC day (and it is still there).
 */
export function sessionStartLine(dbFile: string, recordedAt: string, stillRecorded: (seq: number, hash: string) => boolean): Record<string, unknown> | null {
  if (!declared) return null;
  const last = recorded.get(resolve(dbFile));
  if (last && last.day === recordedAt.slice(0, 10) && stillRecorded(last.seq, last.hash)) return null;
  const clock = new Date().toISOString();
  return {
    type: 'session.started',
    // When it is recorded; `clock` is what the system clock said (earlier than the ledger's last record when it stepped back).
    at: recordedAt,
    actor: { kind: 'system', id: 'attest' },
    clock,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    version: declared.version,
    via: declared.via,
    ...(declared.command ? { command: declared.command } : {}),
    host: hostname(),
  };
}

/** Notes that the session line was recorded (as event #seq) in `dbFile`. */
export function sessionStartRecorded(dbFile: string, recordedAt: string, seq: number, hash: string): void {
  recorded.set(resolve(dbFile), { day: recordedAt.slice(0, 10), seq, hash });
}

/**
 * This process's session as far as one ledger file is concerned: how it declared itself and the session.started it
 * recorded there last. A thread of the process that writes to the file (the console's job thread) takes it over, so
 * it records the session when the process has not yet on that day, and only then — a thread is not a new session.
 */
export interface ProcessSession {
  declaration: SessionDeclaration & { version: string };
  recorded: Recorded | null;
}

export function processSession(dbFile: string): ProcessSession | null {
  return declared ? { declaration: declared, recorded: recorded.get(resolve(dbFile)) ?? null } : null;
}

/** Takes over the session of the thread that started this one (null: it declared none, and neither does this one). */
export function adoptProcessSession(dbFile: string, session: ProcessSession | null): void {
  declared = session ? session.declaration : null;
  if (session?.recorded) recorded.set(resolve(dbFile), session.recorded);
}

/** Notes a session.started another thread of this process recorded (when it is later than the one known here). */
export function noteSessionOfThread(dbFile: string, session: ProcessSession | null): void {
  const theirs = session?.recorded;
  const ours = recorded.get(resolve(dbFile));
  if (theirs && (!ours || theirs.seq > ours.seq)) recorded.set(resolve(dbFile), theirs);
}
