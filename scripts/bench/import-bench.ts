// Importer speed and memory: a generated Freshdesk CSV of a tenth of ctx.tickets rows (100,000 by default),
// written streaming, imported in one transaction; RSS sampled at each quarter shows memory stays flat.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { importFile } from '../../electron/core/importers/import-run.ts';
import { log, mib, rate, seconds, type BenchContext } from './bench-kit.ts';

const HEADER = 'Ticket ID,Subject,Description,Status,Priority,Source,Type,Agent,Created time,Resolved time,Last update time,Initial response time,Tags,Survey results,Email\n';
const STATUSES = ['Open', 'Pending', 'Resolved', 'Closed', '2', '4'];
const PRIORITIES = ['Low', 'Medium', 'High', 'Urgent', '1', '3'];
const TYPES = ['password_reset', 'shipping_status', 'how_to', 'billing_question', 'refund', 'bug_report'];
const pad = (n: number): string => String(n).padStart(2, '0');

function row(i: number): string {
  const day = 1 + (i % 28);
  const hour = i % 24;
  const created = `2024-${pad(1 + (i % 12))}-${pad(day)} ${pad(hour)}:${pad(i % 60)}:00`;
  const status = STATUSES[i % STATUSES.length]!;
  const solved = status === 'Resolved' || status === 'Closed' || status === '4';
  const resolved = solved ? `2024-${pad(1 + (i % 12))}-${pad(day)} ${pad(Math.min(23, hour + 3))}:00:00` : '';
  const reply = i % 3 === 0 ? '' : `2024-${pad(1 + (i % 12))}-${pad(day)} ${pad(hour)}:${pad(Math.min(59, (i % 60) + 10))}:00`;
  const description = i % 5 === 0 ? `"Line one, with a comma\nand a second line ""quoted"""` : `Customer ${i} needs help`;
  return `${i + 1},Ticket ${i + 1},${description},${status},${PRIORITIES[i % PRIORITIES.length]},${1 + (i % 3)},${TYPES[i % TYPES.length]},Agent ${i % 40},${created},${resolved},${resolved || created},${reply},"tag${i % 7}, tag${i % 11}",${solved ? 1 + (i % 5) : ''},c${i % 50000}@example.com\n`;
}

/** A Freshdesk CSV export of `rows` tickets, written streaming (also the console phase's background import). */
export async function generateFreshdeskCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(HEADER);
  for (let i = 0; i < rows; i++) {
    if (!out.write(row(i))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function importBench(ctx: BenchContext): Promise<void> {
  // A tenth of the run's tickets (100,000 rows at the default 1,000,000): enough to see whether memory stays flat,
  // small enough for the whole run's time budget.
  const rows = Math.max(100, Math.round(ctx.tickets / 10));
  const csv = join(ctx.dir, 'import-bench.csv');
  let started = performance.now();
  await generateFreshdeskCsv(csv, rows);
  log(`generated ${rows.toLocaleString('en-US')}-row Freshdesk CSV in ${seconds(performance.now() - started)}`);

  const db = openDatabase(join(ctx.dir, 'import-bench.db'));
  const quarters = [0.25, 0.5, 0.75, 1].map((q) => Math.max(1, Math.floor(rows * q)));
  const samples: { rows: number; rss: number; heap: number }[] = [];
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  try {
    started = performance.now();
    const report = await importFile(db, {
      format: 'freshdesk',
      path: csv,
      onProgress: (progress) => {
        const rss = process.memoryUsage.rss();
        peak = Math.max(peak, rss);
        if (samples.length < quarters.length && progress.rows >= quarters[samples.length]!) samples.push({ rows: progress.rows, rss, heap: process.memoryUsage().heapUsed });
      },
    });
    const ms = performance.now() - started;
    const rss = process.memoryUsage.rss();
    peak = Math.max(peak, rss);
    if (samples.length < quarters.length) samples.push({ rows: report.rows, rss, heap: process.memoryUsage().heapUsed });
    log(`imported ${report.rows.toLocaleString('en-US')} rows (${report.imported.toLocaleString('en-US')} tickets, ${report.events.toLocaleString('en-US')} events) in ${seconds(ms)}: ${rate(report.rows, ms, 'rows')}`);
    log(`RSS before import ${mib(baseline)}, peak during import ${mib(peak)}`);
    log(`RSS (JS heap) by rows read: ${samples.map((s) => `${s.rows.toLocaleString('en-US')} → ${mib(s.rss)} (${mib(s.heap)})`).join(', ')}`);
    if (samples.length >= 2) {
      const first = samples[0]!;
      const last = samples[samples.length - 1]!;
      log(`RSS growth from ${first.rows.toLocaleString('en-US')} to ${last.rows.toLocaleString('en-US')} rows: ${mib(last.rss - first.rss)} (file ${mib(report.bytes)})`);
    }
  } finally {
    db.close();
  }
}
