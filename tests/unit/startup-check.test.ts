// Start-up check (issue 16, item 3): a database from a newer Attest, a file another program holds locked, a full disk,
// a read-only folder, a damaged file and a file that is no database each get one plain sentence naming the file and
// what to do — from the CLI (`attest serve`, which opens the file for writing like every command that writes, and for
// the disk cases `attest import`) and from the desktop start (openCore, whose error the shell shows with
// startupFailureMessage) — never a stack trace, and the file's bytes stay as they were.
//
// The full disk and the read-only folder are real: a tmpfs of 2 MB mounted in a private mount namespace
// (`unshare --user --map-root-user --mount`, no privileges needed beyond user namespaces), filled with a filler file —
// so the operating system answers ENOSPC exactly as on a full disk — or remounted read-only (EROFS). Where user
// namespaces are unavailable these two are skipped, saying why; a non-root user gets the read-only folder by chmod.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore } from '../../electron/core/service.ts';
import { startupFailureMessage } from '../../electron/core/db/startup-check.ts';
import { verifyDatabaseFile } from '../../electron/core/verification/verify-database.ts';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

interface Run {
  status: number | null;
  stderr: string;
}

/** Runs the CLI without blocking; a command that unexpectedly keeps running (serve) is killed after 30 s. */
function attest(home: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ATTEST_HOME: home, ATTEST_KEY_FILE: '' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The main file's bytes, and any -wal's (a failed open may leave an empty one, never one with frames). */
function fileState(path: string): { main: string; walBytes: number } {
  return { main: sha256(path), walBytes: existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0 };
}

/** One line on stderr, "attest: …", naming the file, without a stack trace. */
function expectPlainLine(run: Run, path: string, pattern: RegExp): void {
  expect(run.status, run.stderr).toBe(1);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]!.startsWith('attest: ')).toBe(true);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at |SqliteError|node:internal/);
}

let template = '';

let templateDir = '';

beforeAll(async () => {
  // Not tempDir(): that one is removed after each test, and the template serves them all.
  templateDir = mkdtempSync(join(tmpdir(), 'attest-startup-'));
  template = join(templateDir, 'template.db');
  const core = openCore({ dbPath: template, role: 'admin', chainPollIntervalMs: 0 });
  try {
    const result = await core.invoke('import.jsonl', { fileName: 'small.jsonl', text: readFileSync(SMALL_FIXTURE, 'utf8') });
    expect(result.ok).toBe(true);
  } finally {
    core.close();
  }
});

afterAll(() => rmSync(templateDir, { recursive: true, force: true }));

function copyOfTemplate(dir: string, name = 'ledger.db'): string {
  const path = join(dir, name);
  copyFileSync(template, path);
  return path;
}

interface Condition {
  name: string;
  prepare(dir: string): Promise<{ path: string; release?: () => void }>;
  message: RegExp;
}

/** Another program (SQLite in a process of its own) holding the file exclusively until it is killed. */
function lockedByAnotherProcess(path: string): Promise<() => void> {
  const script = `
    const Database = require(${JSON.stringify(fileURLToPath(import.meta.resolve('better-sqlite3-multiple-ciphers')))});
    const db = new Database(process.argv[1]);
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);`;
  const holder = spawn(process.execPath, ['-e', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    holder.once('error', reject);
    holder.stdout.once('data', () => resolve(() => holder.kill('SIGKILL')));
  });
}

const CONDITIONS: Condition[] = [
  {
    name: 'a database from a newer Attest',
    prepare: async (dir) => {
      const path = copyOfTemplate(dir);
      const raw = new Database(path);
      raw.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (999, ?, ?, ?)').run('999_future.sql', '0'.repeat(64), new Date().toISOString());
      raw.close();
      return { path };
    },
    message: /was written by a newer version of Attest \(schema 999; this version knows up to \d+\): open it with that version or a later one/,
  },
  {
    name: 'a file another program holds locked',
    prepare: async (dir) => {
      const path = copyOfTemplate(dir);
      return { path, release: await lockedByAnotherProcess(path) };
    },
    message: /is locked by another program that holds it exclusively: close that program \(or wait until it finishes\) and try again/,
  },
  {
    name: 'a damaged file',
    prepare: async (dir) => {
      const path = copyOfTemplate(dir);
      // The b-tree header of page 4 overwritten: the kind of damage a bad sector or a careless copy leaves.
      const fd = openSync(path, 'r+');
      writeSync(fd, Buffer.alloc(3000, 0xa5), 0, 3000, 3 * 4096);
      closeSync(fd);
      return { path };
    },
    message: /fails SQLite's integrity check .*Attest will not write to it — check it with "attest verify" \(read-only\) and restore it from a backup/,
  },
  {
    name: 'a file that is not a database',
    prepare: async (dir) => {
      const path = join(dir, 'notes.db');
      writeFileSync(path, 'Minutes of the Tuesday meeting: nothing to report.\n'.repeat(200));
      return { path };
    },
    message: /is not an Attest database \(nor any SQLite database\): choose the right file, or give a new file name to start a new ledger/,
  },
];

describe('start-up check', () => {
  for (const condition of CONDITIONS) {
    it(`${condition.name}: one plain sentence from serve and the desktop start; the file unchanged`, async () => {
      const home = tempDir();
      const dir = tempDir();
      const { path, release } = await condition.prepare(dir);
      try {
        const before = fileState(path);
        // The CLI's console, started while this process opens the file too (a lock makes each wait SQLite's busy timeout).
        const serve = attest(home, ['serve', '--db', path, '--port', '0']);
        // The desktop start: openCore, its error shown with startupFailureMessage (electron/main/main.ts).
        let desktop = '';
        try {
          openCore({ dbPath: path, role: 'admin', chainPollIntervalMs: 0 }).close();
          desktop = 'opened';
        } catch (error) {
          desktop = startupFailureMessage(error, path);
        }
        expect(desktop).toContain(path);
        expect(desktop).toMatch(condition.message);
        expectPlainLine(await serve, path, condition.message);
        expect((await serve).stderr.trim()).toBe(`attest: ${desktop}`);
        const after = fileState(path);
        expect(after.main).toBe(before.main);
        expect(after.walBytes).toBe(before.walBytes);
      } finally {
        release?.();
      }
    });
  }

  const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true']).status === 0;
  const tmpfsReason = 'needs user namespaces (unshare --user --mount) to mount a private tmpfs';

  /** Runs `script` with sh in a private mount namespace; $1 is an empty folder to mount on, $2 the test's folder. */
  function inPrivateMount(script: string, dir: string): void {
    const mount = join(dir, 'mnt');
    mkdirSync(mount);
    const result = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script, 'sh', mount, dir, process.execPath, BIN], {
      encoding: 'utf8',
      env: { ...process.env, ATTEST_HOME: join(dir, 'home'), ATTEST_KEY_FILE: '' },
    });
    expect(result.status, result.stderr).toBe(0);
  }

  const run = (dir: string, name: string): Run => ({
    status: Number(readFileSync(join(dir, `${name}.rc`), 'utf8')),
    stderr: readFileSync(join(dir, `${name}.err`), 'utf8'),
  });

  it.skipIf(!canUnshare)(`a full disk (a real ENOSPC on a filled tmpfs): a plain sentence, and the ledger as it was [${tmpfsReason}]`, async () => {
    const dir = tempDir();
    copyOfTemplate(dir, 'template.db');
    // 400 tickets of 4 KB: more than the room left in the second case.
    const lines = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({ ticket: `B-${i}`, type: 'created', at: '2026-10-02T09:00:00Z', channel: 'email', priority: 'normal', category: 'billing', subject: `Big ${i} ${'x'.repeat(4000)}`, requester: `c-${i}` }),
    );
    writeFileSync(join(dir, 'big.jsonl'), `${lines.join('\n')}\n`);
    inPrivateMount(
      `set -u
       M=$1; OUT=$2; NODE=$3; BIN=$4; DB=$M/ledger.db
       mount -t tmpfs -o size=2m tmpfs "$M"
       cp "$OUT/template.db" "$DB"; sha256sum < "$DB" > "$OUT/before.sha"
       # No room at all: not even SQLite's shared-memory index fits.
       dd if=/dev/zero of="$M/filler" bs=4k 2>/dev/null
       timeout 30 "$NODE" "$BIN" serve --db "$DB" --port 0 2> "$OUT/serve.err" > /dev/null; echo $? > "$OUT/serve.rc"
       sha256sum < "$DB" > "$OUT/after-full.sha"
       # Room to open, not to import: the import's transaction fails midway.
       rm -f "$M/filler" "$DB-wal" "$DB-shm"
       dd if=/dev/zero of="$M/filler" bs=4k count=350 2>/dev/null
       "$NODE" "$BIN" import --db "$DB" "$OUT/big.jsonl" 2> "$OUT/import.err"; echo $? > "$OUT/import.rc"
       sha256sum < "$DB" > "$OUT/after-import.sha"
       cp "$DB" "$OUT/after-import.db"`,
      dir,
    );
    const path = join(dir, 'mnt', 'ledger.db');
    const full = /the disk holding .* is full: free some space on it and try again; the change was not written and the file is as it was/;
    expectPlainLine(run(dir, 'serve'), path, full);
    expectPlainLine(run(dir, 'import'), path, full);
    const before = readFileSync(join(dir, 'before.sha'), 'utf8');
    expect(readFileSync(join(dir, 'after-full.sha'), 'utf8')).toBe(before);
    expect(readFileSync(join(dir, 'after-import.sha'), 'utf8')).toBe(before);
    // The ledger is the one from before the failed import: intact, with the same head.
    const [after, original] = await Promise.all([verifyDatabaseFile(join(dir, 'after-import.db')), verifyDatabaseFile(template)]);
    expect(after.status).toMatchObject({ intact: true, eventCount: original.status.eventCount, headHash: original.status.headHash });
  });

  it.skipIf(!canUnshare && process.getuid?.() === 0)(`a read-only folder: a plain sentence from an import and serve, the file unchanged [${tmpfsReason} when run as root]`, async () => {
    const dir = tempDir();
    const path = join(dir, 'mnt', 'ledger.db');
    const readOnly = /cannot be written: the file or its folder is read-only — copy it to a folder you may write to, or check it read-only with "attest verify/;
    if (process.getuid?.() === 0) {
      copyOfTemplate(dir, 'template.db');
      copyFileSync(SMALL_FIXTURE, join(dir, 'more.jsonl'));
      writeFileSync(join(dir, 'key'), randomBytes(32).toString('hex'), { mode: 0o600 });
      mkdirSync(join(dir, 'tmp'));
      inPrivateMount(
        `set -u
         M=$1; OUT=$2; NODE=$3; BIN=$4; DB=$M/ledger.db; ENC=$M/encrypted.db
         mount -t tmpfs -o size=2m tmpfs "$M"
         cp "$OUT/template.db" "$DB"; sha256sum < "$DB" > "$OUT/before.sha"
         cp "$OUT/template.db" "$ENC"; "$NODE" "$BIN" encrypt --db "$ENC" --key-file "$OUT/key" > /dev/null
         mount -o remount,ro "$M"
         "$NODE" "$BIN" import --db "$DB" "$OUT/more.jsonl" 2> "$OUT/write.err"; echo $? > "$OUT/write.rc"
         timeout 30 "$NODE" "$BIN" serve --db "$DB" --port 0 2> "$OUT/serve.err" > /dev/null; echo $? > "$OUT/serve.rc"
         sha256sum < "$DB" > "$OUT/after.sha"
         # An auditor's read-only copy of an encrypted ledger is still checked (from a private copy, removed after).
         TMPDIR="$OUT/tmp" "$NODE" "$BIN" verify --db "$ENC" --key-file "$OUT/key" --json > "$OUT/verify.out" 2> "$OUT/verify.err"; echo $? > "$OUT/verify.rc"`,
        dir,
      );
      expectPlainLine(run(dir, 'write'), path, readOnly);
      expectPlainLine(run(dir, 'serve'), path, readOnly);
      expect(readFileSync(join(dir, 'after.sha'), 'utf8')).toBe(readFileSync(join(dir, 'before.sha'), 'utf8'));
      expect(run(dir, 'verify')).toEqual({ status: 0, stderr: '' });
      const verified = JSON.parse(readFileSync(join(dir, 'verify.out'), 'utf8')) as { intact: boolean; eventCount: number; headHash: string };
      const original = await verifyDatabaseFile(template);
      expect(verified).toMatchObject({ intact: true, eventCount: original.status.eventCount, headHash: original.status.headHash });
      expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    } else {
      mkdirSync(join(dir, 'mnt'));
      copyFileSync(template, path);
      chmodSync(path, 0o444);
      chmodSync(join(dir, 'mnt'), 0o555);
      try {
        const before = sha256(path);
        const home = tempDir();
        for (const result of await Promise.all([attest(home, ['import', '--db', path, SMALL_FIXTURE]), attest(home, ['serve', '--db', path, '--port', '0'])])) {
          expectPlainLine(result, path, readOnly);
        }
        expect(sha256(path)).toBe(before);
      } finally {
        chmodSync(join(dir, 'mnt'), 0o755);
      }
    }
  });
});
