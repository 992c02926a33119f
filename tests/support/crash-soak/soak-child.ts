// The crash soak's worker: run as its own Node process (bundled by soak-bundle.ts, or the TypeScript run directly) and
// killed with SIGKILL at random moments by soak-harness.ts. It resumes the round after the last one its side log says
// was finished and does the work of each round through Attest's own code paths — import a file, resolve open tickets
// with the AI (the Ollama stand-in at OLLAMA_HOST), verify outcomes, sign a checkpoint — and after each committed step
// appends the events that step committed (seq, hash) to the side log and fsyncs it: those events are acknowledged and
// must survive any later kill. A step re-run after a kill that commits nothing (an import already done) still writes
// its line, with no events: it acknowledges nothing new, and the harness does not count it as progress.
//
// What the harness aims its kills by, on stdout (written synchronously: a pipe on Linux), one line each:
//   "start KIND ROUND"            a step begins (KIND: open, import, ai, verify-outcomes, checkpoint; open's ROUND is -1)
//   "done KIND ROUND EVENTS MS"   it ended (after its side-log line was fsync'd): events committed, its duration in ms
//   "ready"                       the ledger is open (the end of the open step)
// Start-up: see below ("loaded", then "go" on stdin).
// argv: DB SIDE_LOG WORK_DIR KEY_DIR OLLAMA_HOST MODE   (MODE: "run" loops until killed; "finish" completes the round
// a kill interrupted, or the next one, and exits). ATTEST_KEY_FILE: the key of an encrypted ledger.
import { appendFileSync, closeSync, fsyncSync, openSync, readFileSync, existsSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../../electron/core/db/connection.ts';
import { registerFeatures } from '../../../electron/core/features.ts';
import { importFileSync } from '../../../electron/core/importers/import-run.ts';
import { checkMapping } from '../../../electron/core/importers/csv-mapping.ts';
import { resolveTickets } from '../../../electron/core/ai/resolver.ts';
import { runVerification } from '../../../electron/core/outcomes/verification.ts';
import { recordCheckpoint } from '../../../electron/core/checkpoints/record-checkpoint.ts';
import { loadOrCreateInstallationKey } from '../../../electron/core/checkpoints/installation-key.ts';
import { writeFileAtomic } from '../../../electron/core/files/atomic-file.ts';
import { keyFileOption, readKeyFile, useDatabaseKey } from '../../../electron/core/db/database-key.ts';
import { batchOf, GENERIC_MAPPING, readSideLog, type SideLogEntry, type StepKind } from './soak-work.ts';

const [dbPath, sideLogPath, workDir, keyDir, ollamaHost, mode] = process.argv.slice(2) as [string, string, string, string, string, string];

// What touches neither the ledger nor the side log is done before the turn: the key (created by the parent), the mapping.
registerFeatures();
const key = loadOrCreateInstallationKey({ dir: keyDir });
const mapping = checkMapping(GENERIC_MAPPING, 'soak-mapping.json');
// An encrypted ledger: every connection this process opens to it uses the key (as the CLI does with ATTEST_KEY_FILE).
const keyFile = keyFileOption(undefined);
if (keyFile) useDatabaseKey(dbPath, readKeyFile(keyFile));

const announce = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

// Started ahead of time (while the previous worker is being killed and checked) with every module loaded, the worker
// waits for "go" on stdin before it touches the ledger: kills land in work, not in Node's start-up.
process.stdout.write('loaded\n');
await new Promise<void>((resolve) => {
  let input = '';
  process.stdin.on('data', (chunk: Buffer) => {
    input += chunk.toString();
    if (input.includes('go\n')) resolve();
  });
});
process.stdin.pause();

announce('start open -1');
const opening = performance.now();
const db = openDatabase(dbPath, { mustExist: true });
const headSeq = (): number => (db.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck().get() as number);

/** Appends one line to the side log and forces it to the disk before the work goes on. */
function acknowledge(entry: SideLogEntry): void {
  const fd = openSync(sideLogPath, 'a');
  try {
    appendFileSync(fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Runs one committed step and acknowledges exactly the events it committed. */
async function step(round: number, op: StepKind, work: () => unknown): Promise<void> {
  const before = headSeq();
  announce(`start ${op} ${round}`);
  const started = performance.now();
  await work();
  const events = db.prepare('SELECT seq, hash FROM events WHERE seq > ? ORDER BY seq').raw().all(before) as [number, string][];
  acknowledge({ round, op, worker: process.pid, events });
  announce(`done ${op} ${round} ${events.length} ${(performance.now() - started).toFixed(1)}`);
}

/**
 * A kill in the middle of a write may have left the side log's last line cut short: never written whole and fsync'd,
 * so never acknowledged. It goes before this child appends, or this child's first line would be glued to it and the
 * log would hold a line that is neither (a write of more than a page can be cut by a kill).
 */
function dropTornLastLine(): void {
  if (!existsSync(sideLogPath)) return;
  const bytes = readFileSync(sideLogPath);
  const whole = bytes.lastIndexOf(0x0a) + 1;
  if (whole === bytes.length) return;
  const fd = openSync(sideLogPath, 'r+');
  try {
    ftruncateSync(fd, whole);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

dropTornLastLine();
const finished = existsSync(sideLogPath) ? readSideLog(readFileSync(sideLogPath, 'utf8')).filter((e) => e.op === 'round-done') : [];
let round = finished.length ? Math.max(...finished.map((e) => e.round)) + 1 : 0;
announce(`done open -1 0 ${(performance.now() - opening).toFixed(1)}`);
announce('ready');

for (;;) {
  const batch = batchOf(round);
  const file = join(workDir, batch.fileName);
  // Written whole or not at all (an import of a half-written file would import it short).
  if (!existsSync(file)) writeFileAtomic(file, batch.text);
  await step(round, 'import', () => importFileSync(db, { format: batch.format, path: file, mapping: batch.format === 'csv' ? mapping : undefined }));
  await step(round, 'ai', () => resolveTickets(db, { env: { OLLAMA_HOST: ollamaHost }, backoffMs: 5, parallel: 2 }));
  // Every round (a step kind the kills aim at). The AI's resolutions are minutes old, inside the contract's window
  // (at least an hour), so verification mostly reads and judges, writing little; a kill there cuts its reads.
  await step(round, 'verify-outcomes', () => runVerification(db));
  await step(round, 'checkpoint', () => db.transaction(() => recordCheckpoint(db, key)).immediate());
  acknowledge({ round, op: 'round-done', worker: process.pid });
  if (mode === 'finish') break;
  round++;
}
db.close();
process.stdout.write('finished\n');
