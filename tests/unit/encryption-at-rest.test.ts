// Encryption at rest (issue 16, item 1): an encrypted database shows nothing to whoever copies its files; the key
// comes from a key file only; wrong or missing keys get one plain sentence and never a write; `attest encrypt` and
// `attest rekey` keep `attest verify`'s verdict and head; every connection of the console (imports, the chain monitor,
// verification threads) opens the file with the same key. The plain reader here is better-sqlite3 itself — an
// implementation independent of the app's connection module.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, openReadOnly } from '../../electron/core/db/connection.ts';
import { fileKind, readKeyFile, useDatabaseKey } from '../../electron/core/db/database-key.ts';
import { reEncryptDatabase } from '../../electron/core/db/encryption.ts';
import { openCore } from '../../electron/core/service.ts';
import { verifyDatabaseFile } from '../../electron/core/verification/verify-database.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';
import { importLines, newTeamLedger, teamStatus, untilState } from './team-replica-kit.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
// Words of the small fixture's tickets, and of the ones the tests add: none may appear in an encrypted file's bytes.
const FIXTURE_TEXTS = ['I forgot my password.', 'Cannot log in', 'Use the reset link on the sign-in page.', 'password_reset'];
const MARKER = 'Quarterly invoice 4471 for Ottilie Brandvold';
const WAL_TICKET = 'WAL-TICKET-4471';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function attest(home: string, args: string[], env: Record<string, string> = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ATTEST_HOME: home, ATTEST_KEY_FILE: '', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking: several commands run side by side (each one is a Node start-up). */
function attestAsync(home: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ATTEST_HOME: home, ATTEST_KEY_FILE: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A ledger with the small fixture in it, imported in this process (a plain file unless `key`). */
async function importedLedger(path: string, key: Buffer | null = null): Promise<void> {
  const core = openCore({ dbPath: path, key, role: 'admin', chainPollIntervalMs: 0 });
  try {
    const result = await core.invoke('import.jsonl', { fileName: 'small.jsonl', text: readFileSync(SMALL_FIXTURE, 'utf8') });
    expect(result.ok).toBe(true);
  } finally {
    core.close();
  }
}

async function verdict(path: string, key: Buffer | null): Promise<{ intact: boolean; eventCount: number; headHash: string }> {
  useDatabaseKey(path, key);
  try {
    const { status } = await verifyDatabaseFile(path, {});
    return { intact: status.intact, eventCount: status.eventCount, headHash: status.headHash };
  } finally {
    useDatabaseKey(path, null);
  }
}

function keyFile(dir: string, name: string, format: 'hex' | 'raw' = 'hex'): string {
  const path = join(dir, name);
  const key = randomBytes(32);
  writeFileSync(path, format === 'hex' ? `${key.toString('hex')}\n` : key, { mode: 0o600 });
  return path;
}

/** Every file SQLite keeps for the database, as they are on disk. */
function filesOf(path: string): Buffer[] {
  return ['', '-wal', '-shm'].filter((suffix) => existsSync(path + suffix)).map((suffix) => readFileSync(path + suffix));
}

function expectNothingReadable(path: string, texts: string[]): void {
  const main = readFileSync(path);
  expect(main.subarray(0, 16).equals(SQLITE_HEADER)).toBe(false);
  for (const bytes of filesOf(path)) {
    expect(bytes.includes(SQLITE_HEADER)).toBe(false);
    for (const text of texts) {
      expect(bytes.includes(Buffer.from(text, 'utf8'))).toBe(false);
      expect(bytes.includes(Buffer.from(text, 'utf16le'))).toBe(false);
    }
  }
}

/** One line on stderr, naming the file, with no stack trace. */
function expectPlainLine(stderr: string, path: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(path);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at |SqliteError|node:internal/);
}

function snapshot(path: string): string {
  return filesOf(path)
    .map((bytes) => bytes.toString('base64'))
    .join('|');
}

describe('encryption at rest', () => {
  it('a ledger imported with a key file has no SQLite header and no ticket text in its files, and opens only with that key', async () => {
    const home = tempDir();
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const key = keyFile(dir, 'ledger.key');
    const imported = attest(home, ['import', '--db', db, '--key-file', key, SMALL_FIXTURE]);
    expect(imported.status, imported.stderr).toBe(0);

    expectNothingReadable(db, FIXTURE_TEXTS);
    expect(fileKind(db)).toBe('encrypted');
    // The independent reader sees no database at all.
    const plain = new Database(db, { readonly: true });
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
    plain.close();
    // With the key, every event is there and the chain verifies.
    expect(await verdict(db, readKeyFile(key))).toMatchObject({ intact: true, eventCount: 17 });
  });

  it('pages in the write-ahead log are encrypted too, while the console has them uncheckpointed', async () => {
    const dir = tempDir();
    const path = join(dir, 'console.db');
    const key = readKeyFile(keyFile(dir, 'console.key'));
    const core = openCore({ dbPath: path, key, role: 'admin' });
    try {
      // A ticket id long enough not to turn up by chance in the encrypted bytes. A 3-byte id ("W-1") did once in CI: a
      // few hundred KB of random-looking bytes hold a given 3-byte sequence with a probability of a few per cent.
      const line = JSON.stringify({ ticket: WAL_TICKET, type: 'created', at: '2026-10-03T09:00:00Z', channel: 'email', priority: 'normal', category: 'billing', subject: MARKER, requester: 'c-9' });
      const result = await core.invoke('import.jsonl', { fileName: 'wal.jsonl', text: `${line}\n` });
      expect(result.ok).toBe(true);
      // The console still holds its connection: the new pages sit in the -wal file.
      expect(readFileSync(`${path}-wal`).length).toBeGreaterThan(0);
      expectNothingReadable(path, [MARKER, WAL_TICKET]);
      const list = await core.invoke('tickets.list', { filter: { search: WAL_TICKET } });
      expect(list.ok && list.value.total).toBe(1);
    } finally {
      core.close();
    }
    expectNothingReadable(path, [MARKER]);
  });

  it('a wrong key or no key gets one plain sentence naming the file, and not a byte changes', async () => {
    const home = tempDir();
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const keyPath = keyFile(dir, 'right.key');
    const wrong = keyFile(dir, 'wrong.key', 'raw');
    await importedLedger(db, readKeyFile(keyPath));
    const before = snapshot(db);

    // A read, a write and the console: each refused with the same plain sentence.
    const runs = await Promise.all([
      attestAsync(home, ['verify', '--db', db, '--key-file', wrong]),
      attestAsync(home, ['serve', '--db', db, '--port', '0'], { ATTEST_KEY_FILE: wrong }),
      attestAsync(home, ['rebuild', '--db', db]),
    ]);
    for (const run of runs.slice(0, 2)) {
      expect(run.status).toBe(1);
      expectPlainLine(run.stderr, db, /is encrypted; the key given does not open it/);
    }
    expect(runs[2]!.status).toBe(1);
    expectPlainLine(runs[2]!.stderr, db, /is encrypted and no key was given: pass its key file with --key-file/);
    expect(snapshot(db)).toBe(before);

    // In-process (the desktop start opens the same way): the same sentences, no write.
    expect(() => openDatabase(db, { key: readKeyFile(wrong) })).toThrow(/is encrypted; the key given does not open it/);
    expect(() => openDatabase(db, { key: null })).toThrow(/is encrypted and no key was given/);
    expect(() => openReadOnly(db, { key: null })).toThrow(/is encrypted and no key was given/);
    expect(snapshot(db)).toBe(before);
  });

  it('a key for a plain file is named as such, and the plain file stays as it was', async () => {
    const dir = tempDir();
    const db = join(dir, 'plain.db');
    await importedLedger(db);
    const before = snapshot(db);
    expect(() => openDatabase(db, { key: readKeyFile(keyFile(dir, 'k')) })).toThrow(/is not encrypted, but a key was given/);
    expect(snapshot(db)).toBe(before);
  });

  it('key files: 64 hex digits or 32 raw bytes, private to their owner; never a passphrase', () => {
    const dir = tempDir();
    expect(readKeyFile(keyFile(dir, 'hex')).length).toBe(32);
    expect(readKeyFile(keyFile(dir, 'raw', 'raw')).length).toBe(32);
    const passphrase = join(dir, 'passphrase');
    writeFileSync(passphrase, 'correct horse battery staple\n', { mode: 0o600 });
    expect(() => readKeyFile(passphrase)).toThrow(/must hold a 256-bit key — 32 raw bytes or 64 hex digits/);
    const shared = keyFile(dir, 'shared');
    chmodSync(shared, 0o640);
    expect(() => readKeyFile(shared, 'linux')).toThrow(/readable by other users \(mode 640\); make it private with "chmod 600/);
  });

  it('attest encrypt and attest rekey keep verify’s verdict and head; the old key and the plain reader are refused after', async () => {
    const home = tempDir();
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    await importedLedger(db);
    const reference = await verdict(db, null);
    expect(reference.intact).toBe(true);
    expect(reference.eventCount).toBeGreaterThan(15); // the fixture's 15 lines and the import's own record
    // The independent reader's view of the events, to compare with what the encrypted file holds.
    const reader = new Database(db, { readonly: true });
    const events = reader.prepare('SELECT seq, hash, payload FROM events ORDER BY seq').all();
    reader.close();

    const first = keyFile(dir, 'first.key');
    const encrypted = await attestAsync(home, ['encrypt', '--db', db, '--key-file', first, '--json']);
    expect(encrypted.status, encrypted.stderr).toBe(0);
    expect(JSON.parse(encrypted.stdout)).toMatchObject({ encrypted: true, intact: true, eventCount: reference.eventCount, headHash: reference.headHash });
    expectNothingReadable(db, FIXTURE_TEXTS);
    expect(readdirSync(dir).filter((name) => name.includes('.rekey-'))).toEqual([]);
    expect(await verdict(db, readKeyFile(first))).toEqual(reference);
    const keyed = openReadOnly(db, { key: readKeyFile(first) });
    expect(keyed.prepare('SELECT seq, hash, payload FROM events ORDER BY seq').all()).toEqual(events);
    keyed.close();

    const second = keyFile(dir, 'second.key', 'raw');
    // Encrypting twice is refused plainly, before anything is touched.
    await expect(reEncryptDatabase(db, { fromKey: null, toKey: readKeyFile(second), fingerprint: async () => ({ ...reference, problems: [] }) })).rejects.toThrow(
      /is already encrypted: change its key with "attest rekey/,
    );
    const rekeyed = await attestAsync(home, ['rekey', '--db', db, '--new-key-file', second, '--json'], { ATTEST_KEY_FILE: first });
    expect(rekeyed.status, rekeyed.stderr).toBe(0);
    expect(JSON.parse(rekeyed.stdout)).toMatchObject({ intact: true, eventCount: reference.eventCount, headHash: reference.headHash });
    expect(await verdict(db, readKeyFile(second))).toEqual(reference);
    expect(() => openReadOnly(db, { key: readKeyFile(first) })).toThrow(/the key given does not open it/);
    expectNothingReadable(db, FIXTURE_TEXTS);

    // A rekey with the wrong current key changes nothing and leaves no copy.
    const before = snapshot(db);
    const wrongRekey = await attestAsync(home, ['rekey', '--db', db, '--key-file', first, '--new-key-file', keyFile(dir, 'third.key')]);
    expect(wrongRekey.status).toBe(1);
    expectPlainLine(wrongRekey.stderr, db, /the key given does not open it/);
    expect(snapshot(db)).toBe(before);
    expect(readdirSync(dir).filter((name) => name.includes('.rekey-'))).toEqual([]);
  });

  it('an encrypted file verifies in worker threads, and the console’s background checks and imports open it with its key', async () => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const key = readKeyFile(keyFile(dir, 'ledger.key'));
    await importedLedger(db, key);

    useDatabaseKey(db, key);
    try {
      const threaded = await verifyDatabaseFile(db, { threads: 2, minEvents: 0 });
      expect(threaded.threads).toBe(2);
      expect(threaded.status.intact).toBe(true);
      expect(threaded.status.eventCount).toBeGreaterThan(15);
    } finally {
      useDatabaseKey(db, null);
    }

    const core = openCore({ dbPath: db, key, role: 'admin', chainPollIntervalMs: 0 });
    try {
      // A background import opens a connection of its own to the file.
      const bytes = Buffer.from(`Ticket ID,Subject,Created time,Status\nBG-1,${MARKER},2026-10-04 09:00:00,Open\n`);
      const upload = await core.invoke('imports.upload', { offset: 0, chunkBase64: bytes.toString('base64') });
      const started = await core.invoke('imports.start', { uploadId: upload.ok ? upload.value.uploadId : '', fileName: 'bg.csv', format: 'freshdesk' });
      expect(started.ok, JSON.stringify(started)).toBe(true);
      const runId = started.ok ? started.value.runId : '';
      let state = 'running';
      for (let i = 0; i < 500 && state === 'running'; i++) {
        const status = await core.invoke('imports.status', { runId });
        state = status.ok ? status.value.state : 'failed';
        if (state === 'running') await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(state).toBe('done');
      // The chain monitor re-reads the file on connections (and a deep-check thread) of its own.
      let chain = await core.invoke('ledger.verify', {});
      for (let i = 0; i < 1000 && chain.ok && (chain.value.state === 'verifying' || !chain.value.deep || chain.value.deep.state === 'running'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        chain = await core.invoke('ledger.status', {});
      }
      expect(chain.ok && chain.value).toMatchObject({ state: 'verified', status: { intact: true }, deep: { state: 'passed' } });
      expect(chain.ok && chain.value.status!.eventCount).toBeGreaterThan(17);
    } finally {
      core.close();
    }
    expectNothingReadable(db, [MARKER, 'BG-1']);
  });
});

describe.skipIf(!postgresAvailable())('encryption at rest: a team replica', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(() => cluster?.remove());

  it('a console’s replica of the team ledger is created encrypted with the console’s key and holds no ticket text', async () => {
    const url = await newTeamLedger(cluster, 'encrypted_replica');
    const dir = tempDir();
    const path = join(dir, 'replica.db');
    const key = readKeyFile(keyFile(dir, 'replica.key'));
    const core = openCore({ dbPath: path, key, team: { url }, chainPollIntervalMs: 0 });
    try {
      await untilState(core, 'online');
      await importLines(core, [{ ticket: 'TEAM-1', type: 'created', at: '2026-10-05T09:00:00Z', channel: 'email', priority: 'normal', category: 'billing', subject: MARKER, requester: 'c-1' }]);
      await expect.poll(async () => (await teamStatus(core)).localHead, { timeout: 15_000, interval: 50 }).toBeGreaterThan(0);
      expectNothingReadable(path, [MARKER, 'TEAM-1']);
    } finally {
      await core.closeAsync();
    }
    expect(fileKind(path)).toBe('encrypted');
    expectNothingReadable(path, [MARKER, 'TEAM-1']);
    const replica = openReadOnly(path, { key });
    expect(replica.prepare("SELECT count(*) FROM tickets WHERE id = 'TEAM-1'").pluck().get()).toBe(1);
    replica.close();
  });
});
