// Replicas are witnesses (issue 13): a history changed on the PostgreSQL server — one row edited by a superuser, a
// rewrite from some event on with every hash recomputed, a checkpoint whose root is not the verified one — stops
// every console that had verified it, naming the sequence number; a stopped console still reads and refuses
// writes. Each replica cosigns the checkpoints it verified, on the server, with its own key.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointTextOf, cosignatureVerifies, parseCosignatureLine, parseCosignerKey } from '../../electron/core/checkpoints/cosignature.ts';
import { formatCheckpointText, ledgerOrigin } from '../../electron/core/checkpoints/checkpoint.ts';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { signNote } from '../../electron/core/checkpoints/signed-note.ts';
import { canonicalJson, eventHash } from '../../electron/core/ledger/hashing.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { tempDir } from './helpers.ts';
import { closeConsoles, headOf, importLines, newTeamLedger, openConsole, teamStatus, untilState, type Console } from './team-replica-kit.ts';

const TICKET_LINES = [
  { ticket: 'W-1', type: 'created', at: '2026-10-01T09:00:00Z', channel: 'email', priority: 'normal', category: 'password_reset', subject: 'Cannot log in', requester: 'c-1' },
  { ticket: 'W-1', type: 'message', at: '2026-10-01T09:00:05Z', author: { kind: 'customer', id: 'c-1' }, public: true, body: 'I forgot my password.' },
  { ticket: 'W-2', type: 'created', at: '2026-10-01T10:00:00Z', channel: 'chat', priority: 'high', category: 'billing', subject: 'Double charge', requester: 'c-2' },
  { ticket: 'W-2', type: 'message', at: '2026-10-01T10:00:10Z', author: { kind: 'customer', id: 'c-2' }, public: true, body: 'I was charged twice.' },
  { ticket: 'W-3', type: 'created', at: '2026-10-01T11:00:00Z', channel: 'email', priority: 'low', category: 'shipping', subject: 'Where is my parcel', requester: 'c-3' },
];
const MORE_LINES = [{ ticket: 'W-3', type: 'message', at: '2026-10-01T11:00:30Z', author: { kind: 'customer', id: 'c-3' }, public: true, body: 'Any news?' }];

type ServerRow = { seq: number; ticket_id: string | null; type: string; at: string; recorded_at: string; actor: string; payload: string; prev_hash: string; hash: string };

describe.skipIf(!postgresAvailable())('replicas are witnesses of the team ledger', () => {
  let cluster: PgCluster;
  let ledgers = 0;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(() => cluster?.remove());

  /** A team ledger with the ticket lines, and `count` consoles in step with it (history re-checked on every pull). */
  async function team(count: number, options: { checkpointEveryMs?: number } = {}, historyCheckEveryMs = 1): Promise<{ database: string; consoles: Console[] }> {
    const database = `witness${++ledgers}`;
    const url = await newTeamLedger(cluster, database);
    const dir = tempDir();
    const consoles = Array.from({ length: count }, (_, i) => openConsole(dir, `replica-${i}`, { url, historyCheckEveryMs, pollEveryMs: 200 }, i === 0 ? options : {}));
    await importLines(consoles[0]!.core, TICKET_LINES);
    for (const console of consoles) await console.core.syncTeam();
    return { database, consoles };
  }

  /** Runs `work` with a superuser connection to the team database (the attacker who owns the server). */
  async function asSuperuser<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: cluster.superuserUrl(database) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  async function serverRows(database: string): Promise<ServerRow[]> {
    return asSuperuser(database, async (client) => (await client.query('SELECT seq::int AS seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash FROM events ORDER BY seq')).rows as ServerRow[]);
  }

  /** Every console stops, names `seq`, refuses a write with that sentence and still answers reads. */
  async function expectAllStoppedAt(consoles: readonly Console[], seq: number, detail: RegExp): Promise<void> {
    for (const { core } of consoles) {
      await core.syncTeam().catch(() => undefined);
      const status = await untilState(core, 'stopped');
      expect(status.differsAt).toBe(seq);
      expect(status.message).toMatch(new RegExp(`^the team ledger's history differs from what this console verified at #${seq}: `));
      expect(status.message).toMatch(detail);
      const write = await core.invoke('import.jsonl', { fileName: 'late.jsonl', text: JSON.stringify(MORE_LINES[0]) + '\n' });
      expect(write.ok).toBe(false);
      if (!write.ok) {
        expect(write.error.code).toBe('offline');
        expect(write.error.message).toContain(status.message!);
      }
      const tickets = await core.invoke('tickets.list', {});
      expect(tickets.ok && tickets.value.total).toBe(3);
      const ticket = await core.invoke('tickets.get', { id: 'W-2' });
      expect(ticket.ok).toBe(true);
    }
  }

  it('a row a superuser changed on the server stops every replica at its sequence number once it re-checks the history', async () => {
    const { database, consoles } = await team(3);
    try {
      const rows = await serverRows(database);
      const changed = rows.find((row) => row.ticket_id === 'W-2' && row.type === 'message')!;
      await asSuperuser(database, async (client) => {
        await client.query('ALTER TABLE events DISABLE TRIGGER USER');
        await client.query(`UPDATE events SET payload = replace(payload, 'charged twice', 'charged once') WHERE seq = $1`, [changed.seq]);
        await client.query('ALTER TABLE events ENABLE TRIGGER USER');
      });
      await expectAllStoppedAt(consoles, changed.seq, new RegExp(`its event #${changed.seq} was changed on the server`));
      // Each stopped replica told the server too (what `attest team status` shows). A replica tells it in the
      // background once it has stopped (it stops at once, whether or not the server answers), so the test waits for it.
      const told = (): Promise<(string | null)[]> =>
        asSuperuser(database, async (client) => (await client.query(`SELECT stopped FROM replicas ORDER BY replica_id`)).rows.map((row: { stopped: string | null }) => row.stopped));
      await expect.poll(async () => (await told()).filter((sentence) => sentence?.includes(`at #${changed.seq}:`)).length, { timeout: 10_000, interval: 100 }).toBe(3);
      expect(await told()).toHaveLength(3);
    } finally {
      await closeConsoles(consoles);
    }
  });

  it('a row changed below the head, its hash kept, is found by the next pulls even with no full history check due', async () => {
    // historyCheckEveryMs 0: the whole history is compared on connect only; the rolling window of each pull finds it.
    const { database, consoles } = await team(2, {}, 0);
    try {
      const rows = await serverRows(database);
      const changed = rows.find((row) => row.ticket_id === 'W-2' && row.type === 'message')!;
      expect(changed.seq).toBeLessThan(rows.at(-1)!.seq);
      await asSuperuser(database, async (client) => {
        await client.query('ALTER TABLE events DISABLE TRIGGER USER');
        await client.query(`UPDATE events SET payload = replace(payload, 'charged twice', 'charged once') WHERE seq = $1`, [changed.seq]);
        await client.query('ALTER TABLE events ENABLE TRIGGER USER');
      });
      await expectAllStoppedAt(consoles, changed.seq, new RegExp(`its event #${changed.seq} was changed on the server`));
    } finally {
      await closeConsoles(consoles);
    }
  });

  it('a history rewritten from some event on, every hash recomputed, stops every replica at that event', async () => {
    const { database, consoles } = await team(2);
    try {
      const rows = await serverRows(database);
      const from = rows.find((row) => row.ticket_id === 'W-1' && row.type === 'message')!.seq;
      expect(from).toBeLessThan(rows.length);
      // The careful attacker: delete the tail, re-insert it changed, with links and hashes that verify.
      const rewritten: ServerRow[] = [];
      let prevHash = rows.find((row) => row.seq === from - 1)!.hash;
      for (const row of rows.filter((r) => r.seq >= from)) {
        const payload = row.seq === from ? row.payload.replace('forgot my password', 'never had a password') : row.payload;
        const hash = eventHash({ seq: row.seq, ticket: row.ticket_id, type: row.type, at: row.at, recordedAt: row.recorded_at, actor: row.actor, payload, prevHash });
        rewritten.push({ ...row, payload, prev_hash: prevHash, hash });
        prevHash = hash;
      }
      await asSuperuser(database, async (client) => {
        await client.query('ALTER TABLE events DISABLE TRIGGER USER');
        await client.query('DELETE FROM events WHERE seq >= $1', [from]);
        await client.query('ALTER TABLE events ENABLE TRIGGER USER');
        // The chain trigger accepts the rewritten tail: each row continues the previous one.
        for (const row of rewritten) {
          await client.query('INSERT INTO events (seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
            row.seq, row.ticket_id, row.type, row.at, row.recorded_at, row.actor, row.payload, row.prev_hash, row.hash,
          ]);
        }
      });
      await expectAllStoppedAt(consoles, from, new RegExp(`#${from}`));
    } finally {
      await closeConsoles(consoles);
    }
  });

  it('a checkpoint row whose root is not the root of the verified events stops every replica, naming it', async () => {
    const { database, consoles } = await team(2);
    try {
      const rows = await serverRows(database);
      const head = rows[rows.length - 1]!;
      const ledgerId = await asSuperuser(database, async (client) => (await client.query('SELECT ledger_id FROM ledger_identity')).rows[0].ledger_id as string);
      // Well signed (by a key of its own, as a forger would), well chained, wrong root for the size it states.
      const key = loadOrCreateInstallationKey();
      const origin = ledgerOrigin(ledgerId);
      const wrongRoot = Buffer.alloc(32, 7);
      const note = signNote(formatCheckpointText({ origin, treeSize: head.seq, rootHash: wrongRoot }), key);
      const at = new Date().toISOString();
      const row = { seq: head.seq + 1, ticket: null, type: 'checkpoint', at, recordedAt: at, actor: canonicalJson({ kind: 'system', id: 'attest' }), payload: canonicalJson({ origin, treeSize: head.seq, rootHash: wrongRoot.toString('base64'), note, key: key.verifierKey }), prevHash: head.hash };
      await asSuperuser(database, (client) =>
        client.query('INSERT INTO events (seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
          row.seq, row.ticket, row.type, row.at, row.recordedAt, row.actor, row.payload, row.prevHash, eventHash(row),
        ]),
      );
      for (const { core } of consoles) {
        await expect(core.syncTeam()).rejects.toThrow(/history differs/);
        const status = await untilState(core, 'stopped');
        expect(status.message).toContain(`checkpoint #${row.seq}`);
        expect(status.localHead).toBe(head.seq);
      }
    } finally {
      await closeConsoles(consoles);
    }
  });

  it('each replica cosigns the checkpoints it verified, on the server, with its own key', async () => {
    // The first console records a checkpoint through its core (the scheduled checkpoint, in its write turn).
    const { database, consoles } = await team(3, { checkpointEveryMs: 1 });
    try {
      const checkpoint = await expect
        .poll(async () => (await serverRows(database)).find((row) => row.type === 'checkpoint'), { timeout: 15_000, interval: 100 })
        .toBeDefined()
        .then(async () => (await serverRows(database)).find((row) => row.type === 'checkpoint')!);
      for (const { core } of consoles) {
        await core.syncTeam();
        expect(await headOf(core)).toBeGreaterThanOrEqual(checkpoint.seq);
        expect((await teamStatus(core)).state).toBe('online');
      }
      const { cosignatures, replicas } = await asSuperuser(database, async (client) => ({
        cosignatures: (await client.query('SELECT checkpoint_seq::int AS seq, replica_id, tree_size::int AS size, root_hash, cosigner, signature FROM replica_cosignatures WHERE checkpoint_seq = $1', [checkpoint.seq])).rows,
        replicas: (await client.query('SELECT replica_id, cosigner, cosigned_size::int AS cosigned FROM replicas')).rows,
      }));
      const payload = JSON.parse(checkpoint.payload) as { treeSize: number; rootHash: string; note: string };
      expect(replicas).toHaveLength(3);
      expect(cosignatures.map((row) => row.replica_id).sort()).toEqual(replicas.map((row) => row.replica_id).sort());
      const text = checkpointTextOf(payload.note);
      for (const row of cosignatures) {
        const registered = replicas.find((replica) => replica.replica_id === row.replica_id)!;
        expect(row.cosigner).toBe(registered.cosigner);
        expect(registered.cosigned).toBe(payload.treeSize);
        expect([row.size, row.root_hash]).toEqual([payload.treeSize, payload.rootHash]);
        const cosignerKey = parseCosignerKey(row.cosigner);
        // Named for the replica, signed with this installation's key.
        expect(cosignerKey.name).toBe(`attest-replica-${row.replica_id}`);
        expect(cosignerKey.rawPublicKey).toEqual(Buffer.from(loadOrCreateInstallationKey().rawPublicKey));
        expect(cosignatureVerifies(parseCosignatureLine(row.signature), text, cosignerKey)).toBe(true);
        // The same signature does not verify another tree: it is bound to this checkpoint.
        expect(cosignatureVerifies(parseCosignatureLine(row.signature), text.replace(String(payload.treeSize), String(payload.treeSize + 1)), cosignerKey)).toBe(false);
      }
    } finally {
      await closeConsoles(consoles);
    }
  });
});
