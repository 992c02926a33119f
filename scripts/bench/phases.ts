// The phases a child process can run (see phase-child.ts), by name. Each is loaded on demand, so a phase's process
// starts with only its own modules.
import type { BenchContext } from './bench-kit.ts';

type Phase = (ctx: BenchContext) => unknown;

export const PHASES: Record<string, () => Promise<Phase>> = {
  history: async () => (await import('./history-phase.ts')).historyPhase,
  demo: async () => (await import('./demo-phase.ts')).demoPhase,
  ingest: async () => (await import('./ingest-phase.ts')).ingestPhase,
  'ingest-plain': async () => (await import('./ingest-phase.ts')).plainIngestPhase,
  reimport: async () => (await import('./ingest-phase.ts')).reimportPhase,
  verify: async () => (await import('./verify-phase.ts')).verifyPhase,
  merkle: async () => (await import('./merkle-phase.ts')).merklePhase,
  rebuild: async () => (await import('./rebuild-phase.ts')).rebuildPhase,
  kpis: async () => (await import('./kpi-bench.ts')).kpiBench,
  sla: async () => (await import('./sla-bench.ts')).slaBench,
  'import-csv': async () => (await import('./import-bench.ts')).importBench,
  outcomes: async () => (await import('./outcomes-bench.ts')).outcomesBench,
  ai: async () => (await import('./ai-bench.ts')).aiBench,
  team: async () => (await import('./team-bench.ts')).teamBench,
};
