// The phases a child process can run (see phase-child.ts), by name.
import type { BenchContext } from './bench-kit.ts';
import { aiBench } from './ai-bench.ts';
import { demoPhase } from './demo-phase.ts';
import { historyPhase } from './history-phase.ts';
import { importBench } from './import-bench.ts';
import { ingestPhase, plainIngestPhase, reimportPhase, splitIngestPhase } from './ingest-phase.ts';
import { kpiBench } from './kpi-bench.ts';
import { merklePhase } from './merkle-phase.ts';
import { outcomesBench } from './outcomes-bench.ts';
import { rebuildPhase } from './rebuild-phase.ts';
import { slaBench } from './sla-bench.ts';
import { teamBench } from './team-bench.ts';
import { verifyPhase } from './verify-phase.ts';

export const PHASES: Record<string, (ctx: BenchContext) => unknown> = {
  history: historyPhase,
  demo: demoPhase,
  ingest: ingestPhase,
  'ingest-plain': plainIngestPhase,
  'ingest-split': splitIngestPhase,
  reimport: reimportPhase,
  verify: verifyPhase,
  merkle: merklePhase,
  rebuild: rebuildPhase,
  kpis: kpiBench,
  sla: slaBench,
  'import-csv': importBench,
  outcomes: outcomesBench,
  ai: aiBench,
  team: teamBench,
};
