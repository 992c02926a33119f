// The append protocol of the team ledger against a real PostgreSQL: what a console assumed decides whether its rows
// are re-chained onto a moved head or refused for re-decision; a replica file takes events only from the team.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { LedgerRepository, type RawEventRow } from '../../electron/core/ledger/ledger-repository.ts';
import { openCore, type CoreHandle } from '../../electron/core/service.ts';
import { appendToTeam, type PendingAppend } from '../../electron/core/team/team-append.ts';
import { initTeam } from '../../electron/core/team/team-admin.ts';
import { teamPool } from '../../electron/core/team/team-repository.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { SMALL_FIXTURE, tempDir } from './helpers.ts';

const GENESIS = '0'.repeat(64);

/** An event's hash computed independently: SHA-256 of the RFC 8785 canonical JSON (the `canonicalize` library). */
function independentHash(row: RawEventRow): string {
  const [seq, ticket, type, at, recordedAt, actor, payload, prevHash] = row;
  const preimage = canonicalize({ seq, ticket, type, at, recordedAt, actor: JSON.parse(actor), payload: JSON.parse(payload), prevHash })!;
  return createHash('sha256').update(preimage, 'utf8').digest('hex');
}

/** Rows for `ticket` chained on `head` with the independent hash (what a console would hand in). */
function chainedRows(head: { seq: number; hash: string }, events: { ticket: string | null; type: string; payload: Record<string, unknown> }[], recordedAt: string): RawEventRow[] {
  let previous = head;
  return events.map(({ ticket, type, payload }) => {
    const row: RawEventRow = [previous.seq + 1, ticket, type, '2026-10-01T09:00:00.000Z', recordedAt, '{"id":"c-1","kind":"customer"}', canonicalize(payload)!, previous.hash, ''];
    row[8] = independentHash(row);
    previous = { seq: row[0], hash: row[8] };
    return row;
  });
}

const message = (ticket: string, body: string) => ({ ticket, type: 'message', payload: { author: { kind: 'customer', id: 'c-1' }, public: true, body } });

describe.skipIf(!postgresAvailable())('the team append protocol', () => {
  let cluster: PgCluster;
  let url: string;

  beforeAll(async () => {
    cluster = await startPgCluster();
    const admin = cluster.createDatabase('team');
    await initTeam(admin, { writerPassword: 'writer-secret' });
    url = `postgres://attest_writer:writer-secret@127.0.0.1:${cluster.port}/team`;
  }, 60_000);
  afterAll(() => cluster?.remove());

  it('re-chains a change onto a moved head only when nothing it assumed moved, and refuses it otherwise', async () => {
    const pool = teamPool(url);
    try {
      const recordedAt = new Date(Date.now() - 60_000).toISOString();
      const genesis = { seq: 0, hash: GENESIS, recordedAt: '' };
      const first = chainedRows(genesis, [message('T-1', 'one'), message('T-2', 'two')], recordedAt);
      expect(await appendToTeam(pool, { base: genesis, rows: first, tickets: new Map([['T-1', 0], ['T-2', 0]]), credentials: [] })).toEqual({ kind: 'appended', firstSeq: 1, lastSeq: 2, rechained: false });
      const base = { seq: 2, hash: first[1]![8], recordedAt };
      // Console A appends to T-1 at base #2.
      const a = chainedRows(base, [message('T-1', 'A')], recordedAt);
      expect((await appendToTeam(pool, { base, rows: a, tickets: new Map([['T-1', 1]]), credentials: [] })).kind).toBe('appended');
      // Console B decided at the same base on T-2: nothing it looked at moved, so its row is re-chained onto #3.
      const b: PendingAppend = { base, rows: chainedRows(base, [message('T-2', 'B')], recordedAt), tickets: new Map([['T-2', 2]]), credentials: [] };
      expect(await appendToTeam(pool, b)).toEqual({ kind: 'appended', firstSeq: 4, lastSeq: 4, rechained: true });
      // Console C decided on T-1 at the same base: T-1 moved (#3) since, so it must re-decide.
      const c = await appendToTeam(pool, { base, rows: chainedRows(base, [message('T-1', 'C')], recordedAt), tickets: new Map([['T-1', 1]]), credentials: [] });
      expect(c).toEqual({ kind: 'conflict', reason: expect.stringContaining('ticket T-1 changed on the team ledger (#3)') });
      // A row naming a position at or after its base (an evidence seq of the batch) is never re-chained.
      const named = chainedRows(base, [{ ticket: 'T-9', type: 'message', payload: { author: { kind: 'customer', id: 'c-1' }, public: true, body: 'see', ref: 3 } }], recordedAt);
      expect((await appendToTeam(pool, { base, rows: named, tickets: new Map([['T-9', 0]]), credentials: [] })).kind).toBe('conflict');
      // The server's chain is linear and every hash recomputes independently.
      const server = await pool.query({ text: 'SELECT seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash FROM events ORDER BY seq', rowMode: 'array' });
      const rows = server.rows as RawEventRow[];
      expect(rows.map((row) => row[0])).toEqual([1, 2, 3, 4]);
      rows.forEach((row, index) => {
        expect(independentHash(row)).toBe(row[8]);
        expect(row[7]).toBe(index === 0 ? GENESIS : rows[index - 1]![8]);
      });
    } finally {
      await pool.end();
    }
  });

  it('refuses rows that do not continue the chain, even from the table owner, and any change to stored rows', () => {
    expect(() => cluster.psql('team', `INSERT INTO events VALUES (99, 'T-1', 'message', 'a', 'b', '{}', '{}', '${GENESIS}', '${'a'.repeat(64)}')`)).toThrow(/does not follow the head/);
    expect(() => cluster.psql('team', `UPDATE events SET payload = '{}' WHERE seq = 1`)).toThrow(/append-only: UPDATE refused/);
    expect(() => cluster.psql('team', `DELETE FROM events WHERE seq = 4`)).toThrow(/append-only: DELETE refused/);
    expect(() => cluster.psql('team', `TRUNCATE events CASCADE`)).toThrow(/append-only: TRUNCATE refused/);
  });

  it('keeps a replica file for the team: a desktop writer cannot append to it', async () => {
    const dir = tempDir();
    const path = join(dir, 'replica.db');
    const team = cluster.createDatabase('team2');
    await initTeam(team, { writerPassword: 'writer-secret' });
    const core: CoreHandle = openCore({ dbPath: path, team: { url: team.replace('postgres:test-superuser-secret', 'attest_writer:writer-secret') }, chainPollIntervalMs: 0 });
    try {
      const imported = await core.invoke('import.jsonl', { fileName: 'small.jsonl', text: readFileSync(SMALL_FIXTURE, 'utf8') });
      expect(imported.ok).toBe(true);
      const status = await core.invoke('team.status', {});
      expect(status.ok && status.value).toMatchObject({ state: 'online', localHead: new LedgerRepository(openDatabase(path, { readonly: true })).lastEvent().seq });
    } finally {
      await core.closeAsync();
    }
    const db = openDatabase(path);
    try {
      const before = new LedgerRepository(db).lastEvent();
      expect(() => importJsonlFile(db, SMALL_FIXTURE)).toThrow(/is a replica of the team ledger/);
      expect(() => recordEvents(db, [{ ticket: 'T-1', type: 'message', at: new Date().toISOString(), author: { kind: 'customer', id: 'c-1' }, public: true, body: 'local' }])).toThrow(/is a replica of the team ledger/);
      expect(new LedgerRepository(db).lastEvent()).toEqual(before);
    } finally {
      db.close();
    }
  });
});
