// Since 026 the SLA projection stores only the running clocks; a ticket's panel and a metric's evidence compute every
// clock of the ticket when asked (electron/core/sla/computed-clocks.ts). What they show must not have changed. The
// reference is independent of the code under test: tests/fixtures/sla-before-026 holds an 80-ticket demo ledger
// exported by Attest at fd77d32 (when the projection stored every clock with its metric events), and what that version
// showed for it — every ticket's SLA panel and the evidence of every drill-down, as of one instant — and the running
// clock rows it stored. Here the same ledger is imported into a file made by the current code.
import { gunzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLA_METRICS, type SlaTicketReport } from '../../shared/contracts/sla.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { slaTickets, ticketSlaReport } from '../../electron/core/sla/sla-queries.ts';
import { signCheckpointBeside, tempDb } from './helpers.ts';

interface Shown {
  madeBy: string;
  asOf: string;
  panels: Record<string, SlaTicketReport>;
  evidence: Record<string, [string, number[]][]>;
  runningClockRows: unknown[][];
}

const fixture = (name: string): Buffer => gunzipSync(readFileSync(new URL(`../fixtures/sla-before-026/${name}`, import.meta.url)));
const shown = JSON.parse(fixture('shown.json.gz').toString('utf8')) as Shown;

function importedLedger(): { db: Db; path: string } {
  const { db, path, dir } = tempDb();
  const ledger = join(dir, 'ledger.jsonl');
  writeFileSync(ledger, fixture('ledger.jsonl.gz'));
  // A whole export restored: its events only Attest writes (sessions, settings, the baseline) need a signed checkpoint.
  signCheckpointBeside(ledger, 'sla-before-026');
  importJsonlFile(db, ledger);
  return { db, path };
}

const runningRows = (db: Db): unknown[][] => db.prepare('SELECT * FROM sla_clocks ORDER BY ticket_id, metric, instance').raw().all() as unknown[][];

const evidenceNow = (db: Db): Shown['evidence'] => {
  const evidence: Shown['evidence'] = {};
  for (const metric of SLA_METRICS) {
    for (const outcome of ['achieved', 'breached', 'in_progress'] as const) {
      evidence[`${metric} ${outcome}`] = slaTickets(db, { from: '2020-01-01', to: '2030-01-01', metric, outcome, limit: 1000 }, shown.asOf).rows.map((r) => [r.ticket, r.evidenceSeqs]);
    }
  }
  return evidence;
};

describe('SLA clocks computed on read (026)', () => {
  it('the reference is not trivial: paused, running and repeated clocks, breaches without a seq, evidence for every metric', () => {
    const clocks = Object.values(shown.panels).flatMap((panel) => Object.values(panel.metrics).flatMap((metric) => metric.clocks));
    expect(Object.keys(shown.panels)).toHaveLength(80);
    expect(clocks.length).toBeGreaterThan(400);
    expect(clocks.some((clock) => clock.status === 'paused')).toBe(true);
    // The running clocks are past their deadline at the reference's instant: breached, not yet stopped.
    expect(clocks.some((clock) => clock.status === 'breached' && clock.stoppedAt === null)).toBe(true);
    expect(clocks.some((clock) => clock.instance > 2)).toBe(true);
    expect(clocks.some((clock) => clock.events.some((event) => event.kind === 'pause'))).toBe(true);
    expect(clocks.some((clock) => clock.events.some((event) => event.kind === 'breach' && event.seq === null))).toBe(true);
    expect(shown.runningClockRows.length).toBeGreaterThan(0);
    for (const metric of SLA_METRICS) expect(shown.evidence[`${metric} achieved`]!.some(([, seqs]) => seqs.length > 1)).toBe(true);
  });

  it("shows every ticket's SLA panel as the version that stored every clock showed it", () => {
    const { db } = importedLedger();
    for (const [ticket, panel] of Object.entries(shown.panels)) expect(ticketSlaReport(db, ticket, shown.asOf)).toEqual(panel);
  });

  it("gives each drill-down's tickets the evidence seqs that version gave", () => {
    const { db } = importedLedger();
    expect(evidenceNow(db)).toEqual(shown.evidence);
  });

  it('stores the running clocks only, as that version stored them, after an import and after a rebuild', () => {
    const { db } = importedLedger();
    expect(runningRows(db)).toEqual(shown.runningClockRows);
    db.transaction(() => rebuildAllProjections(db)).immediate();
    expect(runningRows(db)).toEqual(shown.runningClockRows);
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('sla_clocks') WHERE name = 'events'").pluck().get()).toBe(0);
  });

  it('a file written before 026 keeps only its running clocks, without their events column, and shows the same', () => {
    const { db, path } = importedLedger();
    // The file as 025 left it: the events column, and the stopped and paused clocks beside the running ones.
    db.exec("ALTER TABLE sla_clocks ADD COLUMN events TEXT NOT NULL DEFAULT '[]'");
    db.exec(`INSERT INTO sla_clocks SELECT ticket_id, metric, instance + 100, policy_id, policy_version, calendar, business, target_minutes, 'fulfilled',
               started_at, last_change_at, elapsed_ms, last_change_at, NULL, 0, fulfilled_by, '[["activate","2026-05-01T00:00:00.000Z",1,"ticket created"]]' FROM sla_clocks`);
    db.exec("INSERT INTO sla_clocks SELECT ticket_id, metric, instance + 200, policy_id, policy_version, calendar, business, target_minutes, 'paused', started_at, NULL, elapsed_ms, last_change_at, NULL, 0, fulfilled_by, '[]' FROM sla_clocks WHERE instance < 100");
    db.exec('DELETE FROM schema_migrations WHERE version = 26');
    expect(db.prepare('SELECT count(*) FROM sla_clocks').pluck().get()).toBe(3 * shown.runningClockRows.length);
    db.close();
    const upgraded = openDatabase(path);
    expect(upgraded.prepare('SELECT name FROM schema_migrations WHERE version = 26').pluck().get()).toBe('026_sla_clocks_running_only.sql');
    expect(runningRows(upgraded)).toEqual(shown.runningClockRows);
    expect(upgraded.prepare("SELECT count(*) FROM pragma_table_info('sla_clocks') WHERE name = 'events'").pluck().get()).toBe(0);
    expect(evidenceNow(upgraded)).toEqual(shown.evidence);
    upgraded.close();
  });

  it('a look writes nothing: the file is byte for byte the same after every panel and drill-down', () => {
    const { db, path } = importedLedger();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = readFileSync(path);
    const reader = openDatabase(path, { mustExist: true });
    for (const ticket of Object.keys(shown.panels)) ticketSlaReport(reader, ticket, shown.asOf);
    evidenceNow(reader);
    reader.pragma('wal_checkpoint(TRUNCATE)');
    reader.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
