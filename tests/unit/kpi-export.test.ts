// CSV and PDF exports of the KPI views, through the contract.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract.ts';
import { computeRoi, ROI_DEFAULTS, roiSensitivity, type KpiExport, type RoiInputs } from '../../shared/contracts/kpis.ts';
import { importJsonlFile } from '../../electron/core/interchange/jsonl-import.ts';
import { openCore } from '../../electron/core/service.ts';
import { tempDb } from './helpers.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/kpis/kpis.jsonl', import.meta.url));
const ROI: RoiInputs = { ...ROI_DEFAULTS, months: 1, aiResolutions: 1000, verifiedSpend: null, breachesAvoided: 10, csatDelta: 0.1, customers: 500 };

describe('KPI exports and ROI', () => {
  it('exports the overview as CSV and every view as a PDF', async () => {
    const { db, path } = tempDb();
    importJsonlFile(db, FIXTURE);
    db.close();
    const core = openCore({ dbPath: path, role: 'auditor' });
    try {
      const csv = (await core.invoke('kpis.export', { view: 'overview', format: 'csv', from: '2026-03-02', to: '2026-03-03' })) as Result<KpiExport>;
      if (!csv.ok) throw new Error(csv.error.message);
      const lines = csv.value.data.trim().split('\r\n');
      // Human headers, then units (no contract in this ledger: amounts have no currency, so the unit is blank), then the
      // figures as plain decimals: FCR 4 of 6 resolved = 66.67%, deflection 2 of 7 = 28.57%, CSAT ratings 5, 4, 2, 3
      // (mean 3.50, 2 of 4 rated 4–5), reopen 1 of 6, escalation 1 of 7.
      expect(lines[0]).toBe('Category,Series,Tickets,First-contact resolution,Deflection rate,Average handle time,AHT measured as,CSAT mean,CSAT 4–5 share,CSAT responses,SLA compliance,Reopen rate,Escalation rate,Verified AI resolutions,AI cost per resolution');
      expect(lines[1]).toBe(',,count,%,%,min,,score 1–5,%,count,%,%,%,count,');
      expect(lines[2]).toBe('All categories,Period 2026-03-02 to 2026-03-03,7,66.67,28.57,20.00,worklog,3.50,50.00,4,,16.67,14.29,0,');
      expect(csv.value).toMatchObject({ fileName: 'attest-overview-2026-03-02-2026-03-03.csv', mimeType: 'text/csv' });
      // The board's rows mix units: a Unit column, and the units row points to it.
      const board = (await core.invoke('kpis.export', { view: 'board', format: 'csv', from: '2026-03-02', to: '2026-03-03' })) as Result<KpiExport>;
      if (!board.ok) throw new Error(board.error.message);
      const boardLines = board.value.data.split('\r\n');
      expect(boardLines[0]).toBe('Category,Complexity tier,AI mode,Mode reason,KPI,Rule,Unit,Baseline,Pilot,Difference (pilot − baseline),Difference 95% low,Difference 95% high,Check verdict,Category verdict');
      expect(boardLines[1]).toBe(',tier 1–3,,,,,,see Unit,see Unit,see Unit,see Unit,see Unit,,');
      expect(boardLines.some((line) => /,Average handle time,"compared, not a check",min \((worklog|agent work time)\),/.test(line))).toBe(true);
      // ROI: two tables of label, value and unit; amounts in the calculator's currency (this ledger has no contract to
      // refuse it), ROI as a multiple.
      const roi = (await core.invoke('kpis.export', { view: 'roi', format: 'csv', from: '2026-03-02', to: '2026-03-03', roi: { ...ROI, currency: 'USD' } })) as Result<KpiExport>;
      if (!roi.ok) throw new Error(roi.error.message);
      const roiLines = roi.value.data.split('\r\n');
      expect(roiLines.slice(0, 3)).toEqual(['ROI input,Value,Unit', 'Base salary per agent-year,50000.00,USD', 'Loaded cost multiplier,1.60,×']);
      expect(roiLines).toContain('ROI result,Value,Unit');
      expect(roiLines).toContain(`Return on investment,${((20_000 + 250 + 3000) / 1390).toFixed(2)},×`);
      for (const view of ['overview', 'board', 'roi'] as const) {
        const pdf = (await core.invoke('kpis.export', { view, format: 'pdf', from: '2026-03-02', to: '2026-03-03', roi: ROI })) as Result<KpiExport>;
        if (!pdf.ok) throw new Error(pdf.error.message);
        const bytes = Buffer.from(pdf.value.data, 'base64');
        expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
        expect(bytes.length).toBeGreaterThan(1000);
      }
      const bad = await core.invoke('kpis.report', { from: '2026-03-05', to: '2026-03-01' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    } finally {
      core.close();
    }
  });

  it('computes ROI from its parts (hand-computed)', () => {
    const r = computeRoi(ROI);
    expect(r.humanCostPerResolution).toBe(20); // 50,000 × 1.6 / 4,000
    expect(r.laborSavings).toBe(20_000);
    expect(r.riskReduction).toBe(250); // 10 × $25
    expect(r.revenuePreservation).toBeCloseTo(500 * 0.1 * 0.05 * 1200, 9); // 3,000
    expect(r.usageSpend).toBeCloseTo(990, 9); // 1,000 × $0.99, no verified spend
    expect(r.aiSpend).toBeCloseTo(1390, 9); // + $400 infrastructure
    expect(r.roi).toBeCloseTo((20_000 + 250 + 3000) / 1390, 9);
    expect(computeRoi({ ...ROI, verifiedSpend: 600 }).usageSpend).toBe(600);
    const salary = roiSensitivity(ROI).find((s) => s.input === 'baseSalary')!;
    expect(salary.low!).toBeLessThan(r.roi!);
    expect(salary.high!).toBeGreaterThan(r.roi!);
  });
});
