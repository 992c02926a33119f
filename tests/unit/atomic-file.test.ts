// Atomic everything (issue 16, item 9): exports, statements (CSV, PDF), packs and checkpoint notes written on a really
// full disk (a 64 KiB tmpfs filled to the last byte) fail with a plain message and leave no partial file — neither at
// the target nor as a temporary beside it — and an existing file at the target keeps its bytes. `attest demo` killed
// with SIGKILL mid-run leaves no database, and a re-run succeeds and verifies.
// The full-disk tests mount a tmpfs, which needs root (CI runs as root); elsewhere they are skipped, saying why.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileWriteError, writeFileAtomic, writeFileAtomicWith } from '../../electron/core/files/atomic-file.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));

function attest(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A 64 KiB tmpfs, or why there is none. */
function mountSmallDisk(): { path: string } | { skipped: string } {
  const path = mkdtempSync(join(tmpdir(), 'attest-full-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', path], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(path, { recursive: true, force: true });
    return { skipped: `no tmpfs could be mounted (${(mounted.stderr || mounted.error?.message || '').trim()}); run as root to test a real full disk` };
  }
  return { path };
}

/** Fills the disk to the last byte: every later write of a byte fails with ENOSPC. */
function fillDisk(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  }
  try {
    for (;;) writeSync(fd, block.subarray(0, 1));
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

let disk: { path: string } | { skipped: string };
let home: string;
let dbPath: string;
const signIn: Record<string, string> = {};

beforeAll(() => {
  disk = mountSmallDisk();
  if ('skipped' in disk) console.warn(`atomic-file: full-disk tests skipped: ${disk.skipped}`);
  home = mkdtempSync(join(tmpdir(), 'attest-atomic-'));
  dbPath = join(home, 'demo.db');
  const env = { ATTEST_HOME: home };
  expect(attest(env, 'demo', '--db', dbPath, '--tickets', '300', '--json').code).toBe(0);
  writeFileSync(join(home, 'password'), 'harbor-lantern-42\n');
  Object.assign(signIn, env, { ATTEST_USER: 'admin', ATTEST_PASSWORD_FILE: join(home, 'password') });
}, 60_000);

afterAll(() => {
  if (disk && 'path' in disk) {
    spawnSync('umount', [disk.path]);
    rmSync(disk.path, { recursive: true, force: true });
  }
  rmSync(home, { recursive: true, force: true });
});

/** The full disk's folder for one test: a fresh subfolder, then the disk filled. */
function fullFolder(skip: () => void, existing?: Record<string, string>): string {
  if ('skipped' in disk) {
    skip();
    throw new Error('unreachable');
  }
  rmSync(join(disk.path, 'filler'), { force: true });
  const folder = join(disk.path, `t${readdirSync(disk.path).length}`);
  mkdirSync(folder);
  for (const [name, text] of Object.entries(existing ?? {})) writeFileSync(join(folder, name), text);
  fillDisk(disk.path);
  return folder;
}

/** Like fullFolder, but with `free` bytes left: room for the start of a file, not for all of it. */
function nearlyFullFolder(skip: () => void, free: number): string {
  const folder = fullFolder(skip);
  rmSync(join((disk as { path: string }).path, 'filler'), { force: true });
  writeFileSync(join(folder, '..', 'spare'), Buffer.alloc(free));
  fillDisk((disk as { path: string }).path);
  rmSync(join(folder, '..', 'spare'));
  return folder;
}

describe('on a full disk', () => {
  it('writeFileAtomic fails plainly, leaves no temporary file and keeps the existing target', ({ skip }) => {
    const folder = fullFolder(skip, { 'report.csv': 'old,content\n' });
    const attempt = () => writeFileAtomic(join(folder, 'report.csv'), 'x'.repeat(200_000));
    expect(attempt).toThrow(FileWriteError);
    expect(attempt).toThrow(`could not write ${join(folder, 'report.csv')}: the disk is full; nothing was written there`);
    expect(readdirSync(folder)).toEqual(['report.csv']);
    expect(readFileSync(join(folder, 'report.csv'), 'utf8')).toBe('old,content\n');
  });

  it('a streamed write (the JSONL export) that runs out of space mid-file leaves nothing', ({ skip }) => {
    const folder = fullFolder(skip);
    expect(() =>
      writeFileAtomicWith(join(folder, 'events.jsonl'), (fd) => {
        for (let i = 0; i < 1000; i++) writeSync(fd, `${JSON.stringify({ seq: i, body: 'y'.repeat(200) })}\n`);
      }),
    ).toThrow(/the disk is full/);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('an export with room for only its start fails, rather than leaving the start as if it were the whole', ({ skip }) => {
    // The kernel accepts part of a write on a nearly full disk and reports no error: the writer must notice.
    const folder = nearlyFullFolder(skip, 20 * 1024);
    const run = attest(signIn, 'export', '--db', dbPath, '--format', 'jsonl', '--out', join(folder, 'ledger.jsonl'));
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/could not write .*ledger\.jsonl.*: the disk is full; nothing was written there/);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('attest export, statement (CSV and PDF) and export --pack leave no partial file (and no checkpoint note beside)', ({ skip }) => {
    const folder = fullFolder(skip, { 'kept.csv': 'an earlier statement\n' });
    const runs = {
      export: attest(signIn, 'export', '--db', dbPath, '--format', 'jsonl', '--out', join(folder, 'ledger.jsonl')),
      statementCsv: attest(signIn, 'statement', '--db', dbPath, '--period', '2026-10', '--format', 'csv', '--out', join(folder, 'kept.csv')),
      statementPdf: attest(signIn, 'statement', '--db', dbPath, '--period', '2026-10', '--format', 'pdf', '--out', join(folder, 'statement.pdf')),
      pack: attest(signIn, 'export', '--db', dbPath, '--pack', join(folder, 'pack')),
    };
    for (const [name, run] of Object.entries(runs)) {
      expect(run.code, `${name}: ${run.stderr}`).toBe(1);
      expect(run.stderr, name).toMatch(/could not write .*: the disk is full; nothing was written there/);
    }
    expect(readdirSync(folder)).toEqual(['kept.csv']);
    expect(readFileSync(join(folder, 'kept.csv'), 'utf8')).toBe('an earlier statement\n');
    // The ledger itself is sound after all the refused writes.
    expect(attest(signIn, 'verify', '--db', dbPath).code).toBe(0);
  });
});

describe('files written whole', () => {
  it('follows a symbolic link (the link stays) and writes a device such as /dev/null through, never replacing it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'real.csv'), 'old\n');
    symlinkSync(join(dir, 'real.csv'), join(dir, 'link.csv'));
    writeFileAtomic(join(dir, 'link.csv'), 'new\n');
    expect(lstatSync(join(dir, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.csv'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir).sort()).toEqual(['link.csv', 'real.csv']);
    writeFileAtomic('/dev/null', 'discarded\n');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((name) => name.includes('.partial-'))).toEqual([]);
  });

  it('exports and statements are readable by their owner only; checkpoint notes are public', () => {
    const dir = tempDir();
    expect(attest(signIn, 'export', '--db', dbPath, '--format', 'jsonl', '--out', join(dir, 'ledger.jsonl')).code).toBe(0);
    expect(attest(signIn, 'statement', '--db', dbPath, '--period', '2026-10', '--format', 'pdf', '--out', join(dir, 's.pdf')).code).toBe(0);
    expect(statSync(join(dir, 'ledger.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 's.pdf')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'ledger.jsonl.checkpoint')).mode & 0o777).toBe(0o644 & ~process.umask());
    expect(readdirSync(dir).sort()).toEqual(['ledger.jsonl', 'ledger.jsonl.checkpoint', 's.pdf', 's.pdf.checkpoint']);
  });
});

describe('attest demo', () => {
  it('killed with SIGKILL mid-run leaves no database, and a re-run succeeds and verifies', async () => {
    const dir = tempDir();
    const target = join(dir, 'demo.db');
    const env = { ...process.env, ATTEST_HOME: dir };
    const seed = Math.floor(Math.random() * 2 ** 31);
    const random = seededRandom(seed);
    const child = spawn(process.execPath, [BIN, 'demo', '--db', target, '--tickets', '1200'], { env, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Killed once the demo is being written (its temporary database exists), a random moment later (seed printed).
    const partial = (): string[] => readdirSync(dir).filter((name) => name.startsWith('.demo.db.demo-partial-'));
    while (partial().length === 0 && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 10));
    const delay = Math.floor(random() * 300);
    console.log(`demo kill: ${delay} ms after the demo started writing (seed ${seed})`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(target)).toBe(false);
    const rerun = attest({ ATTEST_HOME: dir }, 'demo', '--db', target, '--tickets', '300', '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(attest({ ATTEST_HOME: dir }, 'verify', '--db', target).stdout).toMatch(/^intact: /);
    // The killed run's temporary files are gone too.
    expect(readdirSync(dir).filter((name) => name.includes('demo-partial'))).toEqual([]);
  }, 60_000);

  it('refuses a database that holds events, before writing anything, and leaves it as it was', () => {
    const before = readFileSync(dbPath);
    const again = attest({ ATTEST_HOME: home }, 'demo', '--db', dbPath, '--tickets', '3');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds \d+ events; the demo needs an empty one/);
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(readdirSync(home).filter((name) => name.includes('demo-partial'))).toEqual([]);
  });
});
