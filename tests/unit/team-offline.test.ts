// Offline (issue 13): when PostgreSQL cannot be reached the console keeps reading its replica and says since when;
// writes and sign-ins are refused with that sentence and leave the replica file as it was; when the server returns
// the console resumes by itself and catches up with what another console wrote meanwhile.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreHandle } from '../../electron/core/service-api.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { tempDir } from './helpers.ts';
import { closeConsoles, headOf, importLines, newTeamLedger, openConsole, teamStatus, untilState, type Console } from './team-replica-kit.ts';

const created = (ticket: string, at: string) => ({ ticket, type: 'created', at, channel: 'email', priority: 'normal', category: 'billing', subject: `About ${ticket}`, requester: 'c-9' });
const message = (ticket: string, at: string, body: string) => ({ ticket, type: 'message', at, author: { kind: 'customer', id: 'c-9' }, public: true, body });

/** The replica file's bytes (with its write-ahead log): what "unchanged" means. */
function fileDigest(path: string): string {
  const digest = createHash('sha256');
  for (const file of [path, `${path}-wal`]) if (existsSync(file)) digest.update(readFileSync(file));
  return digest.digest('hex');
}

const TEAM = { historyCheckEveryMs: 0, pollEveryMs: 150 };

describe.skipIf(!postgresAvailable())('a console without its team server', () => {
  let cluster: PgCluster;
  let ledgers = 0;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(() => cluster?.remove());

  /** The server is started again even when an expectation failed while it was down (the next test needs it). */
  async function whileStopped(work: () => Promise<void>): Promise<void> {
    cluster.stop();
    try {
      await work();
    } finally {
      cluster.start();
    }
  }

  async function twoConsoles(): Promise<Console[]> {
    const url = await newTeamLedger(cluster, `offline${++ledgers}`);
    const dir = tempDir();
    return [openConsole(dir, 'a', { url, ...TEAM }), openConsole(dir, 'b', { url, ...TEAM })];
  }

  it('stays readable, says since when, refuses writes without touching the file, and catches up by itself', async () => {
    const consoles = await twoConsoles();
    const [a, b] = consoles.map((console) => console.core) as [CoreHandle, CoreHandle];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    try {
      await importLines(a, [created('O-1', '2026-10-02T09:00:00Z'), message('O-1', '2026-10-02T09:00:30Z', 'Please refund me.')]);
      for (const core of [a, b]) await core.syncTeam();
      const before = { head: await headOf(a), file: fileDigest(consoles[0]!.path) };

      await whileStopped(async () => {
        for (const core of [a, b]) {
          const status = await untilState(core, 'offline');
          const lastSynced = new Date(status.lastSyncedAt!).toTimeString().slice(0, 5);
          expect(status.message).toBe(`offline — last synced ${lastSynced}, 0 events behind at that time`);
          // Read-only on the replica: the queue, a ticket, the KPI report.
          const list = await core.invoke('tickets.list', {});
          expect(list.ok && list.value.rows.map((row) => row.id)).toEqual(['O-1']);
          const ticket = await core.invoke('tickets.get', { id: 'O-1' });
          expect(ticket.ok && ticket.value.events.length).toBe(2);
          const kpis = await core.invoke('kpis.report', { from: '2026-10-01', to: '2026-10-31' });
          expect(kpis.ok).toBe(true);
        }
        const write = await a.invoke('import.jsonl', { fileName: 'offline.jsonl', text: JSON.stringify(message('O-1', '2026-10-02T10:00:00Z', 'Anyone?')) + '\n' });
        expect(write.ok).toBe(false);
        if (!write.ok) {
          expect(write.error.code).toBe('offline');
          expect(write.error.message).toContain((await teamStatus(a)).message!);
          expect(write.error.message).toMatch(/nothing was recorded/);
        }
        await expect(a.syncTeam()).rejects.toThrow(/cannot be reached \(offline — last synced/);
        // Several reconnect attempts of the poll timer fail while the server is down; none may crash the process.
        const headWhileDown = (await teamStatus(b)).localHead;
        await expect.poll(async () => (await b.syncTeam().then(() => 'online', () => 'refused')), { timeout: 2000, interval: 200 }).toBe('refused');
        expect((await teamStatus(b)).localHead).toBe(headWhileDown);
        expect({ head: await headOf(a), file: fileDigest(consoles[0]!.path) }).toEqual(before);
      });

      // Back: both consoles reconnect on their own timer; what B writes now reaches A without anyone asking.
      for (const core of [a, b]) expect((await untilState(core, 'online')).message).toBeNull();
      await importLines(b, [created('O-2', '2026-10-03T09:00:00Z')]);
      await expect.poll(async () => (await a.invoke('tickets.get', { id: 'O-2' })).ok, { timeout: 10_000, interval: 50 }).toBe(true);
      expect(await headOf(a)).toBe(await headOf(b));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUnhandled);
      await closeConsoles(consoles);
    }
  });

  it('refuses a sign-in while offline (it could not be in the access log), right or wrong password alike; sessions already open keep reading', async () => {
    const consoles = await twoConsoles();
    const [a] = consoles.map((console) => console.core) as [CoreHandle];
    try {
      // The first account turns the team ledger into one with accounts: from then on a person signs in.
      const added = await a.invoke('users.add', { name: 'lead', display: 'Team Lead', role: 'admin', password: 'quiet-harbor-signal-71' });
      expect(added.ok).toBe(true);
      let session: string | null = null;
      const signedIn = await a.invoke('auth.login', { name: 'lead', password: 'quiet-harbor-signal-71' }, { onSession: (token) => (session = token) });
      expect(signedIn.ok).toBe(true);
      const open = session;
      expect(open).not.toBeNull();
      const loginsBefore = await accessLogins(a, open!);

      await whileStopped(async () => {
        await untilState(a, 'offline', open!);
        const refusals: string[] = [];
        for (const password of ['quiet-harbor-signal-71', 'not-the-password']) {
          let issued: string | null = null;
          const refused = await a.invoke('auth.login', { name: 'lead', password }, { onSession: (token) => (issued = token) });
          expect(refused.ok).toBe(false);
          if (!refused.ok) {
            expect(refused.error.code).toBe('offline');
            expect(refused.error.message).toContain((await teamStatus(a, open!)).message!);
            refusals.push(refused.error.message);
          }
          expect(issued).toBeNull();
        }
        // A right and a wrong password get the same answer: nothing to learn offline.
        expect(refusals).toHaveLength(2);
        expect(refusals[0]).toBe(refusals[1]);
        const reading = await a.invoke('tickets.list', {}, { session: open });
        expect(reading.ok).toBe(true);
        const anonymous = await a.invoke('tickets.list', {});
        expect(!anonymous.ok && anonymous.error.code).toBe('unauthenticated');
        // Signing out offline ends the session at once and says its record could not be written.
        let ended: string | null | undefined;
        const out = await a.invoke('auth.logout', {}, { session: open, onSession: (token) => (ended = token) });
        expect(!out.ok && out.error.code).toBe('offline');
        expect(!out.ok && out.error.message).toMatch(/^signed out; the sign-out could not be recorded in the access log: /);
        expect(ended).toBeNull();
        const afterSignOut = await a.invoke('tickets.list', {}, { session: open });
        expect(!afterSignOut.ok && afterSignOut.error.code).toBe('unauthenticated');
      });

      await expect.poll(async () => (await a.invoke('auth.login', { name: 'lead', password: 'quiet-harbor-signal-71' }, { onSession: (token) => (session = token) })).ok, { timeout: 15_000, interval: 100 }).toBe(true);
      // Only the sign-ins that happened are in the access log: none was kept back and none invented while offline.
      expect(await accessLogins(a, session!)).toBe(loginsBefore + 1);
    } finally {
      await closeConsoles(consoles);
    }
  });
});

async function accessLogins(core: CoreHandle, session: string): Promise<number> {
  const log = await core.invoke('access.log', { types: ['access.login'] }, { session });
  if (!log.ok) throw new Error(log.error.message);
  return log.value.total;
}
