// One phase of `npm run bench` in a process of its own (forked by scripts/bench.ts): a process's peak RSS only grows,
// so each phase's own peak needs its own process. Prints the phase's lines, then tells the parent its result and
// its peak RSS (process.resourceUsage().maxRSS).
import { registerFeatures } from '../../electron/core/features.ts';
import { peakRss, type BenchContext } from './bench-kit.ts';
import { PHASES } from './phases.ts';

const [name, contextJson] = process.argv.slice(2);
const load = name === undefined ? undefined : PHASES[name];
if (!load || !contextJson) throw new Error(`usage: phase-child.ts PHASE CONTEXT_JSON (phases: ${Object.keys(PHASES).join(', ')})`);
registerFeatures();
const phase = await load();
const result: unknown = await phase(JSON.parse(contextJson) as BenchContext);
process.send!({ result: result ?? null, peakRss: peakRss() });
process.disconnect();
