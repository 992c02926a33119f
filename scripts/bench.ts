// npm run bench [-- --tickets N] [--only SECTION,...] [--keep]
// Runs each section on the same generated data and prints figures and ratios against baselines
// measured in the same run. Timings are printed, never asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { log, type BenchContext } from './bench/bench-kit.ts';
import { ledgerBench } from './bench/ledger-bench.ts';
import { kpiBench } from './bench/kpi-bench.ts';
import { aiBench } from './bench/ai-bench.ts';
import { slaBench } from './bench/sla-bench.ts';
import { importBench } from './bench/import-bench.ts';
import { outcomesBench } from './bench/outcomes-bench.ts';
import { teamBench } from './bench/team-bench.ts';
import { registerFeatures } from '../electron/core/features.ts';

// The ledger section runs first: later sections reuse the ledger it leaves behind.
const SECTIONS: { name: string; run: (ctx: BenchContext) => Promise<void> | void }[] = [{ name: 'ledger', run: ledgerBench }, { name: 'kpis', run: kpiBench }, { name: 'sla', run: slaBench }, { name: 'import', run: importBench }, { name: 'outcomes', run: outcomesBench }, { name: 'ai', run: aiBench }, { name: 'team', run: teamBench }];

registerFeatures();

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const only = values.only ? new Set(['ledger', ...values.only.split(',')]) : null;
const dir = mkdtempSync(join(tmpdir(), 'attest-bench-'));
const ctx: BenchContext = {
  tickets: Number(values.tickets),
  seed: Number(values.seed),
  dir,
  historyFile: join(dir, 'history.jsonl'),
  ledgerDbPath: join(dir, 'ledger.db'),
};

try {
  log(`Attest benchmark: ${ctx.tickets.toLocaleString('en-US')} demo tickets (seed ${ctx.seed}), node ${process.version}, working dir ${dir}`);
  for (const section of SECTIONS) {
    if (only && !only.has(section.name)) continue;
    log(`\n== ${section.name} ==`);
    await section.run(ctx);
  }
  log(`\npeak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  if (values.keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
