// Checkpoints on a team ledger: every console signs with its own installation key, and every replica judges each
// checkpoint it pulls (its note must state exactly its payload, of this ledger, and the root of the events the
// replica verified) before it keeps or cosigns it.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckpointText, ledgerOrigin } from '../../electron/core/checkpoints/checkpoint.ts';
import { formatVerifierKey, rawEd25519PublicKey, signNote } from '../../electron/core/checkpoints/signed-note.ts';
import { canonicalJson, eventHash } from '../../electron/core/ledger/hashing.ts';
import { leafHashOfHex, rootsAtSizes } from '../../electron/core/ledger/merkle.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { tempDir } from './helpers.ts';
import { closeConsoles, importLines, newTeamLedger, openConsole, teamStatus } from './team-replica-kit.ts';

const created = { ticket: 'W-1', type: 'created', at: '2026-10-01T09:00:00Z', channel: 'email', priority: 'normal', category: 'password_reset', subject: 'Cannot log in', requester: 'c-1' };
const message = (minute: number, body: string) => ({ ticket: 'W-1', type: 'message', at: `2026-10-01T09:${String(minute).padStart(2, '0')}:05Z`, author: { kind: 'customer', id: 'c-1' }, public: true, body });

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresAvailable())('checkpoints on a team ledger', () => {
  let cluster: PgCluster;
  const savedHome = process.env.ATTEST_HOME;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(() => {
    process.env.ATTEST_HOME = savedHome;
    cluster?.remove();
  });

  it('consoles on two machines (two installation keys) each record, verify and pack over the other one’s checkpoints', async () => {
    const url = await newTeamLedger(cluster, 'machines');
    const dir = tempDir();
    process.env.ATTEST_HOME = mkdtempSync(join(tmpdir(), 'attest-machine-a-'));
    const a = openConsole(dir, 'a', { url, historyCheckEveryMs: 0 });
    await importLines(a.core, [created, message(0, 'I forgot my password.')]);
    const packA = await a.core.invoke('audit.exportPack', {});
    expect(packA.ok, JSON.stringify(packA)).toBe(true);
    await closeConsoles([a]);

    process.env.ATTEST_HOME = mkdtempSync(join(tmpdir(), 'attest-machine-b-'));
    const b = openConsole(dir, 'b', { url, historyCheckEveryMs: 0 });
    try {
      await b.core.syncTeam();
      await importLines(b.core, [message(10, 'Any news?')]);
      const verified = await b.core.invoke('ledger.verify', {});
      expect(verified.ok && verified.value.status?.intact, JSON.stringify(verified)).toBe(true);
      const packB = await b.core.invoke('audit.exportPack', {});
      expect(packB.ok, JSON.stringify(packB)).toBe(true);
    } finally {
      await closeConsoles([b]);
      process.env.ATTEST_HOME = savedHome;
    }
  }, 90_000);

  it('a checkpoint whose signed note states another origin, size or root than the event is never kept nor cosigned', async () => {
    const url = await newTeamLedger(cluster, 'forged');
    const dir = tempDir();
    const consoles = [openConsole(dir, 'a', { url, historyCheckEveryMs: 0 }), openConsole(dir, 'b', { url, historyCheckEveryMs: 0 })];
    try {
      await importLines(consoles[0]!.core, [created, message(0, 'I forgot my password.')]);
      await consoles[1]!.core.syncTeam();
      // Anyone with the writer role: the payload states the true root, the note signed by a fresh key says another thing.
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const signer = { name: 'outsider', privateKey, rawPublicKey: rawEd25519PublicKey(publicKey) };
      const forgedSeq = await withClient(url, async (client) => {
        const rows = (await client.query('SELECT seq::int AS seq, hash, (SELECT ledger_id FROM ledger_identity) AS lid FROM events ORDER BY seq')).rows as { seq: number; hash: string; lid: string }[];
        const head = rows.at(-1)!;
        const root = rootsAtSizes(rows.map((row) => leafHashOfHex(row.hash)), [head.seq]).get(head.seq)!;
        const note = signNote(formatCheckpointText({ origin: 'elsewhere.example/log', treeSize: head.seq + 1000, rootHash: Buffer.alloc(32, 9) }), signer);
        const at = new Date().toISOString();
        const fields = {
          seq: head.seq + 1,
          ticket: null,
          type: 'checkpoint',
          at,
          recordedAt: at,
          actor: canonicalJson({ kind: 'system', id: 'attest' }),
          payload: canonicalJson({ origin: ledgerOrigin(head.lid), treeSize: head.seq, rootHash: root.toString('base64'), note, key: formatVerifierKey('outsider', signer.rawPublicKey) }),
          prevHash: head.hash,
        };
        await client.query('INSERT INTO events (seq, ticket_id, type, at, recorded_at, actor, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
          fields.seq, fields.ticket, fields.type, fields.at, fields.recordedAt, fields.actor, fields.payload, fields.prevHash, eventHash(fields),
        ]);
        return fields.seq;
      });
      for (const { core } of consoles) {
        await expect(core.syncTeam()).rejects.toThrow(new RegExp(`differs from what this console verified at #${forgedSeq}: its event #${forgedSeq} breaks the rule book \\(origin`));
        expect(await teamStatus(core)).toMatchObject({ state: 'stopped', differsAt: forgedSeq, localHead: forgedSeq - 1 });
      }
      expect(await withClient(url, async (client) => (await client.query('SELECT count(*)::int AS n FROM replica_cosignatures')).rows[0].n)).toBe(0);
    } finally {
      await closeConsoles(consoles);
    }
  }, 60_000);
});
