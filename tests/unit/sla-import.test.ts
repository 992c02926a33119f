import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SLA_METRICS } from '../../shared/contracts/sla.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { openCore } from '../../electron/core/service.ts';
import { importPolicyText } from '../../electron/core/sla/policy-file.ts';
import { slaCompliance, slaLiveBoard, slaTickets, slaTrend } from '../../electron/core/sla/sla-queries.ts';
import { tempDb, tempDir } from './helpers.ts';
import type { Db } from '../../electron/core/db/connection.ts';
import { policyFile, ticketLines } from './sla-helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const attest = (...args: string[]) => {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};
const SUP = { kind: 'human', id: 'sup-1' } as const;
const AS_OF = '2027-01-15T00:00:00.000Z';

describe('SLA policy import', () => {
  it('names file, line and field of every problem and records nothing', () => {
    const { db } = tempDb();
    const file = policyFile();
    (file.policies as { calendar: string }[])[1]!.calendar = 'nowhere';
    const text = JSON.stringify(file, null, 2).replace('"minutes": 30', '"minutes": -5');
    let message = '';
    try {
      importPolicyText(db, 'policies.json', text, SUP);
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = text.split('\n');
    const minutesLine = lines.findIndex((l) => l.includes('"minutes": -5')) + 1;
    const calendarLine = lines.findIndex((l) => l.includes('"calendar": "nowhere"')) + 1;
    expect(message).toContain(`policies.json:${minutesLine}: policies.0.targets.urgent.first_reply.minutes: must be positive`);
    expect(message).toContain(`policies.json:${calendarLine}: policies.1.calendar: no calendar named "nowhere" in "calendars"`);
    expect(() => importPolicyText(db, 'p.json', '{"version":1,\n"effectiveFrom": oops}', SUP)).toThrow(/^p\.json:2: \(file\): not valid JSON/);
    expect(() => importPolicyText(db, 'p.json', JSON.stringify({ ...policyFile(), extra: 1 }), SUP)).toThrow('p.json:1: extra: unknown field');
    expect(db.prepare("SELECT count(*) FROM events WHERE type = 'sla.policy'").pluck().get()).toBe(0);
  });

  it('only moves forward: a greater version, effective no earlier than its import', () => {
    const { db } = tempDb();
    expect(importPolicyText(db, 'v1.json', JSON.stringify(policyFile()), SUP, '2026-02-01T00:00:00.000Z')).toMatchObject({ version: 1, policies: 5, calendars: 4, seq: 1 });
    expect(() => importPolicyText(db, 'v1.json', JSON.stringify(policyFile()), SUP, '2026-03-01T00:00:00.000Z')).toThrow('v1.json:1: version: must be greater than 1');
    expect(() => importPolicyText(db, 'v2.json', JSON.stringify(policyFile({ version: 2, effectiveFrom: '2026-02-15T00:00:00Z' })), SUP, '2026-03-01T00:00:00.000Z')).toThrow(
      /v2\.json:1: effectiveFrom: 2026-02-15T00:00:00Z is before the time it is recorded/,
    );
    expect(importPolicyText(db, 'v2.json', JSON.stringify(policyFile({ version: 2, effectiveFrom: '2026-04-01T00:00:00Z' })), SUP, '2026-03-01T00:00:00.000Z')).toMatchObject({ version: 2, seq: 2 });
  });

  it('the CLI imports a file and prints compliance and one ticket exactly as the queries compute them', () => {
    const dir = tempDir();
    const { db, path } = tempDb();
    recordEvents(db, [
      ...ticketLines('T-1', [['2026-10-16T14:00:00Z', 'created'], ['2026-10-19T08:00:00Z', 'agent']]),
      ...ticketLines('T-2', [['2026-10-05T07:00:00Z', 'created'], ['2026-10-05T07:02:00Z', 'ai'], ['2026-10-05T07:03:00Z', 'solved-ai']]),
    ]);
    db.close();
    const file = join(dir, 'policies.json');
    writeFileSync(file, JSON.stringify(policyFile(), null, 2));
    const imported = attest('sla', 'import', '--db', path, file, '--json');
    expect(imported.stderr).toBe('');
    expect(JSON.parse(imported.stdout)).toMatchObject({ file: 'policies.json', version: 1, effectiveFrom: '2026-01-01T00:00:00.000Z' });
    const report = attest('sla', '--db', path, '--from', '2026-10-01', '--to', '2026-10-31', '--by', 'actor', '--json');
    expect(report.code).toBe(0);
    const json = JSON.parse(report.stdout);
    expect(Object.keys(json)).toEqual(['from', 'to', 'metrics', 'groups']);
    expect(json.metrics.first_reply).toEqual({ achieved: 1, breached: 1, inProgress: 0, compliance: 0.5 });
    expect(json.groups.ai.first_reply).toEqual({ achieved: 1, breached: 0, inProgress: 0, compliance: 1 });
    const ticket = JSON.parse(attest('sla', '--db', path, '--ticket', 'T-1', '--json').stdout);
    expect(ticket.metrics.first_reply.clocks[0]).toMatchObject({ status: 'breached', targetMinutes: 90, elapsedMinutes: 120, breachAt: '2026-10-19T07:30:00.000Z' });
    expect(attest('sla', '--db', path, '--from', '2026-13-01', '--to', '2026-10-31').stderr).toContain('from: "2026-13-01" is not a valid date');
    expect(attest('sla', '--db', path, '--from', '2026-10-01', '--to', '2026-10-31', '--by', 'weekday').code).toBe(2);
    expect(attest('sla', '--db', path, '--ticket', 'T-9').stderr).toContain('ticket T-9 not found');
  });
});

/** The daily rollup recounted from the final outcome rows, one grouped count per dimension ('all' under the key ''). */
function recountedRollup(db: Db): unknown[] {
  const byDimension = (dim: string, key: string): string =>
    `SELECT '${dim}' AS dim, substr(created_at, 1, 10) AS day, metric, ${key} AS key, sum(outcome = 'achieved') AS achieved, sum(outcome = 'breached') AS breached
     FROM sla_outcomes WHERE outcome <> 'open' GROUP BY 2, 3, 4`;
  const counts = [byDimension('all', "''"), byDimension('priority', 'priority'), byDimension('category', 'category'), byDimension('actor', 'actor')];
  return db.prepare(`SELECT * FROM (${counts.join(' UNION ALL ')}) ORDER BY dim, day, metric, key`).all();
}

describe('SLA on the demo history', () => {
  it('incremental refreshes equal a rebuild; every figure drills down to exactly its tickets; the rollup equals a count over the rows', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 600, seed: 3 });
    const range = { from: '2026-05-01', to: '2026-10-31' };
    const before = slaCompliance(db, { ...range, by: 'priority' }, AS_OF);
    expect(before.metrics.first_reply.achieved + before.metrics.first_reply.breached).toBeGreaterThan(500);
    // A later event on some tickets refreshes only them; the rollup stays consistent with a rebuild.
    const open = db.prepare("SELECT id FROM tickets WHERE status NOT IN ('solved', 'closed') ORDER BY id LIMIT 5").pluck().all() as string[];
    recordEvents(db, open.flatMap((id) => ticketLines(id, [['2026-11-02T09:00:00Z', 'agent'], ['2026-11-02T09:05:00Z', 'solved']]).map((l) => ({ ...l, ticket: id }))));
    const incremental = slaCompliance(db, { ...range, by: 'category' }, AS_OF);
    const rollup = db.prepare('SELECT * FROM sla_rollup ORDER BY dim, day, metric, key').all();
    // The rollup the refreshes kept equals a count over the outcome rows, dimension by dimension, made here.
    expect(rollup).toEqual(recountedRollup(db));
    rebuildAllProjections(db);
    expect(db.prepare('SELECT * FROM sla_rollup ORDER BY dim, day, metric, key').all()).toEqual(rollup);
    expect(slaCompliance(db, { ...range, by: 'category' }, AS_OF)).toEqual(incremental);
    // Whole days (rollup) and timestamps (partial days from rows) agree.
    expect(slaCompliance(db, { from: '2026-05-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }, AS_OF).metrics).toEqual(slaCompliance(db, range, AS_OF).metrics);
    const split = slaCompliance(db, { from: '2026-06-10T13:17:00Z', to: '2026-06-20T08:00:00Z' }, AS_OF).metrics.first_reply;
    const direct = db
      .prepare("SELECT sum(outcome = 'achieved'), sum(outcome = 'breached') FROM sla_outcomes WHERE metric = 'first_reply' AND created_at >= ? AND created_at < ?")
      .raw()
      .get('2026-06-10T13:17:00.000Z', '2026-06-20T08:00:00.000Z') as [number, number];
    expect([split.achieved, split.breached]).toEqual(direct);
    for (const metric of SLA_METRICS) {
      const counts = incremental.metrics[metric];
      expect(slaTickets(db, { ...range, metric, outcome: 'achieved' }, AS_OF).total).toBe(counts.achieved);
      expect(slaTickets(db, { ...range, metric, outcome: 'breached' }, AS_OF).total).toBe(counts.breached);
      expect(slaTickets(db, { ...range, metric, outcome: 'in_progress' }, AS_OF).total).toBe(counts.inProgress);
    }
    const howTo = incremental.groups.how_to!.first_reply;
    const page = slaTickets(db, { ...range, metric: 'first_reply', outcome: 'breached', by: 'category', group: 'how_to', limit: 500 }, AS_OF);
    expect(page.total).toBe(howTo.breached);
    expect(page.rows.every((r) => r.category === 'how_to' && r.outcome === 'breached' && r.evidenceSeqs.length > 0)).toBe(true);
    const trend = slaTrend(db, range);
    const sum = trend.filter((p) => p.metric === 'first_reply').reduce((s, p) => s + p.achieved, 0);
    expect(sum).toBe(slaCompliance(db, range, AS_OF).metrics.first_reply.achieved);
    expect(new Set(trend.map((p) => new Date(p.week + 'T00:00:00Z').getUTCDay()))).toEqual(new Set([1]));
  });

  it('the live board lists running clocks that breach within the warning window first, then breached ones', async () => {
    const { db, path } = tempDb();
    writeDemoHistory(db, { tickets: 300, seed: 2, accounts: false });
    recordEvents(db, ticketLines('T-X', [['2026-11-02T08:00:00Z', 'created']], { channel: 'web' }));
    // standard policy, normal priority: first reply 240 business minutes from Mon 09:00 Berlin = 13:00 (12:00Z).
    const board = slaLiveBoard(db, { asOf: '2026-11-02T11:30:00Z', warningMinutes: 60 });
    expect(board.approaching[0]).toMatchObject({ ticket: 'T-X', metric: 'first_reply', breachAt: '2026-11-02T12:00:00.000Z', remainingMs: 30 * 60_000, state: 'approaching' });
    expect(board.approaching.every((r, i, all) => i === 0 || all[i - 1]!.breachAt <= r.breachAt)).toBe(true);
    expect(board.breached.every((r) => r.remainingMs <= 0)).toBe(true);
    expect(board.breachedTotal).toBeGreaterThanOrEqual(board.breached.length);
    expect(slaLiveBoard(db, { asOf: '2026-11-02T11:30:00Z', warningMinutes: 20 }).approaching.some((r) => r.ticket === 'T-X')).toBe(false);
    db.close();
    const auditor = openCore({ dbPath: path, role: 'auditor', user: 'aud-1' });
    expect(await auditor.invoke('sla.importPolicies', { fileName: 'p.json', text: '{}' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await auditor.invoke('sla.ticket', { id: 'T-X', asOf: '2026-11-02T11:30:00Z' })).toMatchObject({ ok: true, value: { metrics: { first_reply: { outcome: 'in_progress' } } } });
    expect(await auditor.invoke('sla.policies', {})).toMatchObject({ ok: true, value: [{ version: 1, calendars: ['incident_desk', 'support_de'] }] });
    auditor.close();
    const supervisor = openCore({ dbPath: path, role: 'supervisor', user: 'sup-2' });
    const bad = await supervisor.invoke('sla.importPolicies', { fileName: 'p.json', text: '{"version": 0}' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'import_failed' } });
    supervisor.close();
  });
});
