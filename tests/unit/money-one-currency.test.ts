// Money is exact and in one currency (issue 14, item 2): KPI spend in integer minor units, the outcome contract's
// currency everywhere, a cost model in another currency refused (and nothing written), and the shared infrastructure
// cost split over the categories by their verified resolutions so that the categories add up to the total to the cent.
// Expected amounts are worked out by hand below, never taken from the code under test.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract.ts';
import { kpisInputs, ROI_DEFAULTS, roiMoney, computeRoi, type KpiExport, type KpiReport, type RoiInputs } from '../../shared/contracts/kpis.ts';
import { formatMoney } from '../../shared/format.ts';
import { allocateLargestRemainder, MoneyError } from '../../shared/money.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { rebuildKpis } from '../../electron/core/kpis/kpi-repository.ts';
import { infrastructureShares } from '../../electron/core/kpis/kpi-money.ts';
import { kpiReport, KpiInputError } from '../../electron/core/kpis/kpi-report.ts';
import { roiLedgerValues } from '../../electron/core/kpis/roi-ledger.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { importContract } from '../../electron/core/outcomes/contract-import.ts';
import { openCore } from '../../electron/core/service.ts';
import { tempDb } from './helpers.ts';
import { aiSolved, BUYER, contractJson, loadContract, record, ticketLines } from './outcome-kit.ts';

const noSla = (): never => {
  throw new Error('SLA must not be consulted');
};

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };

/** 3 password_reset, 5 shipping_status, 7 how_to AI resolutions created in October, all verified at EUR 0.99. */
function euroLedger(db: Db): void {
  loadContract(db);
  const lines: Record<string, unknown>[] = [];
  const counts: Record<string, number> = { password_reset: 3, shipping_status: 5, how_to: 7 };
  let n = 0;
  for (const [category, count] of Object.entries(counts)) {
    for (let i = 0; i < count; i++) {
      n++;
      lines.push(...aiSolved(`T-${n}`, `2026-10-${String(2 + i).padStart(2, '0')}T09:00:00Z`, [], category));
    }
  }
  record(db, lines);
  expect(runVerification(db, '2026-11-20T00:00:00Z', noSla).verifiedAdded).toBe(15);
}

/** Everything the ledger holds and everything derived from it, to show that a refused request wrote nothing. */
function snapshot(db: Db): string {
  const tables = ['events', 'ledger_head', 'kpi_ticket_facts', 'kpi_rollup'];
  return JSON.stringify(tables.map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw().all()));
}

describe('largest-remainder allocation', () => {
  it('splits EUR 407.39 over 7, 3 and 5 resolutions to the cent (worked by hand)', () => {
    // Exact shares of 40739 cents: 40739·7/15 = 19011.53, 40739·3/15 = 8147.80, 40739·5/15 = 13579.67.
    // Floors 19011 + 8147 + 13579 = 40737; the 2 cents left go to the largest remainders, .80 and .67.
    expect(allocateLargestRemainder(40739, [7, 3, 5])).toEqual([19011, 8148, 13580]);
    // Equal remainders: the earlier part first.
    expect(allocateLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateLargestRemainder(0, [0, 0])).toEqual([0, 0]);
    expect(() => allocateLargestRemainder(5, [0, 0])).toThrow(MoneyError);
    expect(() => allocateLargestRemainder(-1, [1])).toThrow(MoneyError);
  });

  it('always adds up to the total, each part within one cent of its exact share (property)', () => {
    const cell = fc.record({
      category: fc.constantFrom('a', 'b', 'c', 'd'),
      channel: fc.constantFrom('email', 'chat'),
      actor: fc.constantFrom('ai', 'human'),
      verified: fc.integer({ min: 0, max: 5000 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.array(cell, { minLength: 1, maxLength: 16 }), (total, raw) => {
        // One row per cell, as the repository returns them.
        const cells = [...new Map(raw.map((c) => [`${c.category}|${c.channel}|${c.actor}`, c])).values()];
        const weight = cells.reduce((sum, c) => sum + c.verified, 0);
        const shares = infrastructureShares(total, cells);
        const parts = [...shares.values()];
        if (weight === 0) return parts.length === 0;
        expect(parts.reduce((sum, part) => sum + part, 0)).toBe(total);
        // Each category's part is within one cent of total × its resolutions / all resolutions (exact in BigInt).
        for (const category of new Set(cells.map((c) => c.category))) {
          const own = cells.filter((c) => c.category === category);
          const part = own.reduce((sum, c) => sum + (shares.get(JSON.stringify([c.category, c.channel, c.actor])) ?? 0), 0);
          const w = own.reduce((sum, c) => sum + c.verified, 0);
          const gap = BigInt(part) * BigInt(weight) - BigInt(total) * BigInt(w);
          expect(gap < BigInt(weight) && gap > -BigInt(weight)).toBe(true);
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('KPI money in one currency', () => {
  it('shares the infrastructure cost over the categories so they sum to the total to the cent', () => {
    const { db } = tempDb();
    euroLedger(db);
    // One ticket an agent solves, so the human rate shows: EUR 50,000.00 × 1.6 / 4,000 = EUR 20.00.
    record(db, ticketLines('H-1', '2026-10-02T09:00:00Z', [{ kind: 'human_reply', at: '2026-10-02T09:05:00Z' }, { kind: 'solve_human', at: '2026-10-02T09:10:00Z' }], 'billing_question'));
    const report = kpiReport(db, { ...OCTOBER, by: 'category', costModel: { currency: 'EUR', infrastructurePerMonth: 400 } });
    expect(report.costPerResolution).toMatchObject({ humanMinor: 2000, human: 20 });
    // October is 31 days of a 365.25/12-day month: EUR 400.00 × 31 × 12 / 365.25 = 40739.22 cents → 40739.
    const infrastructure = 40739;
    // Spend: 15 verified outcomes at 99 cents.
    expect(report.currency).toBe('EUR');
    expect(report.counts.verifiedSpendMinor).toBe(1485);
    expect(report.counts.verifiedSpend).toBe(14.85);
    expect(report.costPerResolution.infrastructureMinor).toBe(infrastructure);
    expect(report.costPerResolution.aiSpendMinor).toBe(1485 + infrastructure);
    // Per resolution: 42224 / 15 = 2814.93 cents → 2815; the old major-unit field keeps the unrounded rate.
    expect(report.costPerResolution.aiMinor).toBe(2815);
    expect(report.costPerResolution.ai).toBe(42224 / 15 / 100);
    // Categories in name order: how_to 7, password_reset 3, shipping_status 5 (the split worked by hand above).
    const expected: Record<string, { infrastructure: number; spend: number; verified: number }> = {
      how_to: { infrastructure: 19011, spend: 7 * 99, verified: 7 },
      password_reset: { infrastructure: 8148, spend: 3 * 99, verified: 3 },
      shipping_status: { infrastructure: 13580, spend: 5 * 99, verified: 5 },
    };
    for (const [category, want] of Object.entries(expected)) {
      const cost = report.groups[category]!.costPerResolution;
      expect(cost.infrastructureMinor).toBe(want.infrastructure);
      expect(cost.aiSpendMinor).toBe(want.spend + want.infrastructure);
      expect(cost.aiMinor).toBe(Math.round((want.spend + want.infrastructure) / want.verified));
      expect(report.groups[category]!.currency).toBe('EUR');
    }
    // billing_question has no verified resolution: no AI cost and no infrastructure share.
    expect(report.groups.billing_question!.costPerResolution).toMatchObject({ ai: null, aiSpendMinor: null, infrastructureMinor: null, humanMinor: 2000 });
    const sum = (key: 'infrastructureMinor' | 'aiSpendMinor'): number => Object.values(report.groups).reduce((s, g) => s + (g.costPerResolution[key] ?? 0), 0);
    expect(sum('infrastructureMinor')).toBe(infrastructure);
    expect(sum('aiSpendMinor')).toBe(report.costPerResolution.aiSpendMinor);

    // A filtered view bears exactly the cents its categories bear in the breakdown.
    const twoCategories = kpiReport(db, { ...OCTOBER, category: ['how_to', 'shipping_status'], costModel: { currency: 'EUR', infrastructurePerMonth: 400 } });
    expect(twoCategories.costPerResolution.infrastructureMinor).toBe(19011 + 13580);
    // By channel (all email here) the same total, to the cent.
    const byChannel = kpiReport(db, { ...OCTOBER, by: 'channel', costModel: { currency: 'EUR', infrastructurePerMonth: 400 } });
    expect(byChannel.groups.email!.costPerResolution.infrastructureMinor).toBe(infrastructure);
    // Without a cost-model currency the contract's is used (default cost model: EUR 400.00 a month too).
    const plain = kpiReport(db, OCTOBER);
    expect(plain.currency).toBe('EUR');
    expect(plain.costPerResolution).toMatchObject({ humanMinor: 2000, aiMinor: 2815 });
    // Labor savings is rounded once: 15 AI resolutions × EUR 80,000.00 / 3,001 tickets = 39986.67 cents → 39987
    // (the rounded rate, 8,000,000 / 3,001 = 2665.78 → 2666, times 15 would say 39990).
    const odd = kpiReport(db, { ...OCTOBER, costModel: { currency: 'EUR', ticketsPerAgentYear: 3001 } });
    expect(odd.costPerResolution).toMatchObject({ humanMinor: 2666, laborSavingsMinor: 39987 });
  });

  it('refuses a cost model in another currency, naming both, and writes nothing', async () => {
    const { db, path } = tempDb();
    euroLedger(db);
    const before = snapshot(db);
    expect(() => kpiReport(db, { ...OCTOBER, costModel: { currency: 'USD' } })).toThrow(KpiInputError);
    expect(() => kpiReport(db, { ...OCTOBER, costModel: { currency: 'USD' } })).toThrow(
      'the cost model is in USD but outcome contract acme-ai-2026 is in EUR: amounts in different currencies are never added — give the cost model in EUR',
    );
    expect(snapshot(db)).toBe(before);
    db.close();

    const core = openCore({ dbPath: path, role: 'auditor' });
    try {
      const report = (await core.invoke('kpis.report', { ...OCTOBER, costModel: { currency: 'USD' } })) as Result<KpiReport>;
      expect(report).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      if (!report.ok) expect(report.error.message).toMatch(/USD.*EUR/);
      // A code that is not ISO 4217 is refused at the boundary, before any work.
      expect(kpisInputs['kpis.report'].safeParse({ ...OCTOBER, costModel: { currency: 'usd' } }).success).toBe(false);
      expect(kpisInputs['kpis.report'].safeParse({ ...OCTOBER, costModel: { currency: 'ZZZ' } }).success).toBe(false);
      const badCode = (await core.invoke('kpis.report', { ...OCTOBER, costModel: { currency: 'ZZZ' } })) as Result<KpiReport>;
      expect(badCode).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      // The ROI export in dollars against a euro contract: refused, not exported.
      const roi: RoiInputs = { ...ROI_DEFAULTS, months: 1, aiResolutions: 15, verifiedSpend: 14.85, breachesAvoided: 0, csatDelta: 0, customers: 1, currency: 'USD' };
      const exported = (await core.invoke('kpis.export', { view: 'roi', format: 'csv', ...OCTOBER, roi })) as Result<KpiExport>;
      expect(exported).toMatchObject({ ok: false });
      if (!exported.ok) expect(exported.error.message).toContain('is in USD but outcome contract acme-ai-2026 is in EUR');
      const euro = (await core.invoke('kpis.export', { view: 'roi', format: 'csv', ...OCTOBER, roi: { ...roi, currency: 'EUR' } })) as Result<KpiExport>;
      expect(euro.ok).toBe(true);
    } finally {
      core.close();
    }
    const reopened = openDatabase(path);
    expect(snapshot(reopened)).toBe(before);
    reopened.close();
  });

  it('never adds spend in two currencies: a selection across a EUR and a USD contract has no amounts', () => {
    const { db } = tempDb();
    euroLedger(db);
    importContract(db, 'usd.json', contractJson({ id: 'us-desk', currency: 'USD', pricePerResolution: 1.25, categories: ['refund'] }), BUYER, '2026-09-20T08:00:00Z');
    record(db, aiSolved('U-1', '2026-10-03T09:00:00Z', [], 'refund'));
    runVerification(db, '2026-11-20T00:00:00Z', noSla);
    const mixed = kpiReport(db, { ...OCTOBER, by: 'category' });
    expect(mixed.currency).toBe(null);
    expect(mixed.counts.verifiedSpend).toBe(null);
    expect(mixed.counts.verifiedSpendMinor).toBe(null);
    expect(mixed.costPerResolution.ai).toBe(null);
    expect(mixed.notes.money).toContain('EUR and USD');
    // One contract's categories alone: in its currency, exact.
    const dollars = kpiReport(db, { ...OCTOBER, category: ['refund'] });
    expect(dollars).toMatchObject({ currency: 'USD', counts: { verifiedSpendMinor: 125, verifiedSpend: 1.25 } });
    const euros = kpiReport(db, { ...OCTOBER, category: ['how_to'] });
    expect(euros).toMatchObject({ currency: 'EUR', counts: { verifiedSpendMinor: 693 } });
    // The ROI calculator is told there is no one currency rather than handed a sum of both.
    expect(roiLedgerValues(db, OCTOBER)).toMatchObject({ currency: null, verifiedSpend: null });
  });

  it('shows amounts with the code, never "$", and with one minus sign', () => {
    const { db } = tempDb();
    euroLedger(db);
    const values = roiLedgerValues(db, OCTOBER);
    expect(values).toMatchObject({ currency: 'EUR', verifiedSpendMinor: 1485 });
    const inputs: RoiInputs = { ...ROI_DEFAULTS, months: 1, aiResolutions: 15, verifiedSpend: 14.85, breachesAvoided: -2, csatDelta: 0, customers: 1, currency: values.currency };
    const money = roiMoney(inputs);
    // Worked by hand: labour 15 × (50,000.00 × 1.6 / 4,000 = 20.00) = 300.00; risk −2 × 25.00 = −50.00;
    // spend 14.85 + 400.00 × 1 = 414.85; ROI (300.00 − 50.00) / 414.85.
    expect(money).toMatchObject({ laborSavingsMinor: 30000, riskReductionMinor: -5000, usageSpendMinor: 1485, infrastructureMinor: 40000, aiSpendMinor: 41485 });
    expect(money.roi).toBeCloseTo(25000 / 41485, 12);
    expect(computeRoi(inputs).aiSpend).toBe(414.85);
    const shown = [money.laborSavingsMinor, money.riskReductionMinor, money.aiSpendMinor].map((minor) => formatMoney(minor, 'EUR'));
    expect(shown).toEqual(['EUR 300.00', '\u2212EUR 50.00', 'EUR 414.85']);
    for (const text of shown) expect(text).not.toContain('$');
    // An amount with more decimals than the currency has is refused, not rounded away.
    expect(() => roiMoney({ ...inputs, pricePerResolution: 0.999, verifiedSpend: null })).toThrow('pricePerResolution: "0.999" has more than 2 decimal places for EUR');
    expect(() => roiMoney({ ...inputs, currency: null })).toThrow(MoneyError);
  });

  it('attest kpis prints the amounts with the contract\'s code', () => {
    const { db, path } = tempDb();
    euroLedger(db);
    db.close();
    const bin = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
    const run = spawnSync(process.execPath, [bin, 'kpis', '--db', path, '--from', OCTOBER.from, '--to', OCTOBER.to], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    // Default cost model, EUR 400.00 a month: 40739 cents of infrastructure (worked above) + 1485 spend = 42224;
    // per resolution 42224 / 15 = 2814.93 → EUR 28.15.
    expect(run.stdout).toContain('cost/resolution human — ai EUR 28.15, AI spend EUR 422.24 (infrastructure EUR 407.39)');
    expect(run.stdout).not.toContain('$');
  });

  it('keeps no "$" and no hard-coded currency in the KPI code and views', () => {
    const dollar = /\$\d|\(\$\)|['"]\$['"]|\$\$\{|\$\s*\/\s*year/;
    // The pattern catches the labels this issue found ("$603.9", "($)", "$/year", "$${amount}").
    for (const bad of ['`$${Math.round(v)}`', "'Base salary per agent ($/year)'", "'SLA penalty per breach ($)'", '"$603.9"']) expect(bad).toMatch(dollar);
    const roots = ['../../renderer/src/views/kpis', '../../electron/core/kpis'];
    for (const root of roots) {
      const dir = fileURLToPath(new URL(root, import.meta.url));
      for (const file of readdirSync(dir).filter((name) => /\.tsx?$/.test(name))) {
        const text = readFileSync(join(dir, file), 'utf8');
        // A dollar sign as a currency: "$603", "($)", "'$'", or a "$" glued to a placeholder ("$${amount}").
        expect(text, `${root}/${file}`).not.toMatch(dollar);
        expect(text, `${root}/${file}`).not.toMatch(/['"`](USD|EUR)['"`]/);
      }
    }
  });
});

describe('migration 012', () => {
  it('carries an existing ledger over: spend in minor units with its currency, equal to a fresh rebuild', () => {
    const { db, path } = tempDb();
    euroLedger(db);
    // One reversed outcome, so the migration has to leave it out: the customer writes back after verification.
    record(db, aiSolved('T-99', '2026-10-20T09:00:00Z', [], 'how_to'));
    runVerification(db, '2026-10-25T00:00:00Z', noSla);
    record(db, [{ ticket: 'T-99', type: 'message', at: '2026-10-26T09:00:00Z', author: { kind: 'customer', id: 'c-1' }, public: true, body: 'It broke again' }]);
    runVerification(db, '2026-11-20T00:00:00Z', noSla);
    expect(db.prepare("SELECT count(*) FROM events WHERE type = 'outcome.reversed'").pluck().get()).toBe(1);
    rebuildKpis(db);
    const wanted = JSON.stringify([
      db.prepare('SELECT * FROM kpi_ticket_facts ORDER BY ticket_id').raw().all(),
      db.prepare('SELECT * FROM kpi_rollup ORDER BY 1, 2, 3, 4, 5').raw().all(),
    ]);
    // Put the tables back as migration 007 made them (spend a REAL of major units) and forget 012.
    db.exec(`
      CREATE TABLE old_facts AS SELECT ticket_id, created_at, category, channel, actor, resolved, resolved_ai, ever_solved, fcr, deflected, reopened, escalated,
        csat, worklog_minutes, agent_work_minutes, verified, verified_spend_minor / 100.0 AS verified_spend FROM kpi_ticket_facts;
      DROP TABLE kpi_ticket_facts; DROP TABLE kpi_rollup;
      CREATE TABLE kpi_ticket_facts (ticket_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, category TEXT NOT NULL, channel TEXT NOT NULL, actor TEXT NOT NULL,
        resolved INTEGER NOT NULL, resolved_ai INTEGER NOT NULL, ever_solved INTEGER NOT NULL, fcr INTEGER NOT NULL, deflected INTEGER NOT NULL,
        reopened INTEGER NOT NULL, escalated INTEGER NOT NULL, csat INTEGER, worklog_minutes REAL, agent_work_minutes REAL, verified INTEGER NOT NULL,
        verified_spend REAL NOT NULL) STRICT, WITHOUT ROWID;
      INSERT INTO kpi_ticket_facts SELECT * FROM old_facts; DROP TABLE old_facts;
      CREATE INDEX kpi_facts_by_created ON kpi_ticket_facts (created_at);
      CREATE TABLE kpi_rollup (day TEXT NOT NULL, category TEXT NOT NULL, channel TEXT NOT NULL, actor TEXT NOT NULL, tickets INTEGER NOT NULL,
        verified_spend REAL NOT NULL, PRIMARY KEY (day, category, channel, actor)) STRICT, WITHOUT ROWID;
      DELETE FROM schema_migrations WHERE version = 12;
    `);
    db.close();
    const migrated = openDatabase(path);
    try {
      const got = JSON.stringify([
        migrated.prepare('SELECT * FROM kpi_ticket_facts ORDER BY ticket_id').raw().all(),
        migrated.prepare('SELECT * FROM kpi_rollup ORDER BY 1, 2, 3, 4, 5').raw().all(),
      ]);
      expect(got).toBe(wanted);
      // 15 standing outcomes at 99 cents; T-99's was reversed.
      expect(migrated.prepare("SELECT sum(verified_spend_minor), group_concat(DISTINCT spend_currency) FROM kpi_ticket_facts WHERE spend_currency <> ''").raw().get()).toEqual([1485, 'EUR']);
    } finally {
      migrated.close();
    }
  });
});
