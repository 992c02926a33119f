// Section "kpis" of `npm run bench`: the KPI overview (report + weekly series) over random periods, answered
// from the daily rollup, against a naive full scan of every ticket's facts for the same periods.
// Prints p95 and the ratio (goal: overview p95 <= 50 ms on 1,000,000 tickets). Timings are printed, never asserted.
import { log, percentile, seconds, seededRandom, time, type BenchContext } from './bench-kit.ts';
import { kpiFactCount } from './bench-repository.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { creationDayRange, rebuildKpis, sumKpisFullScan } from '../../electron/core/kpis/kpi-repository.ts';
import { kpiReport, kpiSeries, resolvePeriod } from '../../electron/core/kpis/kpi-report.ts';
import { DEMO_CATEGORIES } from '../../electron/core/demo/generator.ts';

const DAY = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export async function kpiBench(ctx: BenchContext): Promise<void> {
  // The demo database: its SLA policies are in force, as in a real console.
  const db = openDatabase(ctx.demoDbPath);
  try {
    const [, rebuildMs] = time(() => db.transaction(() => rebuildKpis(db))());
    const tickets = kpiFactCount(db);
    log(`rebuild KPI facts + rollup: ${tickets.toLocaleString('en-US')} tickets in ${seconds(rebuildMs)}`);
    const range = creationDayRange(db);
    if (!range) return log('no tickets: nothing to measure');
    const first = Date.parse(`${range.firstDay}T00:00:00Z`);
    const span = Math.round((Date.parse(`${range.lastDay}T00:00:00Z`) - first) / DAY);
    // The random periods, the same for every run of a seed.
    const { int } = seededRandom(ctx.seed);
    const periods = Array.from({ length: 200 }, () => {
      const a = int(0, span);
      const b = int(a, Math.min(span, a + int(1, 120)));
      const category = int(0, 3) === 0 ? [DEMO_CATEGORIES[int(0, DEMO_CATEGORIES.length - 1)]!] : [];
      return { from: day(first + a * DAY), to: day(first + b * DAY), category };
    });

    // First load warms the page cache; then every period is timed.
    kpiReport(db, periods[0]!);
    const overview = periods.map((p) => time(() => (kpiReport(db, p), kpiSeries(db, { ...p, bucket: 'week' })))[1]);
    const report = periods.map((p) => time(() => kpiReport(db, p))[1]);
    const naive = periods.slice(0, 20).map((p) => {
      const { fromTs, toTs } = resolvePeriod(p.from, p.to);
      return time(() => sumKpisFullScan(db, fromTs, toTs, { categories: p.category }))[1];
    });
    const p95 = percentile(overview, 95);
    const naiveP95 = percentile(naive, 95);
    log(`overview (report + weekly series), ${overview.length} random periods: p50 ${percentile(overview, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (goal <= 50 ms)`);
    const reportP95 = percentile(report, 95);
    log(`report alone: p95 ${reportP95.toFixed(1)} ms`);
    log(`naive full scan of the facts for the same report, ${naive.length} periods: p95 ${naiveP95.toFixed(1)} ms; full scan p95 / report p95: ${(naiveP95 / reportP95).toFixed(2)}`);
  } finally {
    db.close();
  }
}
