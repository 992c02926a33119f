// Shared pieces of `npm run bench`: the run's context, how figures are printed, and small timing helpers.
// Every figure the bench prints is measured in the run that prints it; goals are printed as "goal …", never as results.
import { formatCount, formatDecimal } from '../../shared/format.ts';

export interface BenchContext {
  tickets: number;
  seed: number;
  /** Random inputs per console RPC (default 100), and proofs sampled in the Merkle phase. */
  samples: number;
  /** A scratch folder for this run, removed afterwards unless --keep. */
  dir: string;
  /** The generator's history as Attest JSONL (written by the "history" phase). */
  historyFile: string;
  /** About 10% more events: new tickets from another seed, under other ticket ids (written by the "history" phase). */
  newEventsFile: string;
  /** `attest demo`'s database: accounts, SLA policies, contract, baseline (written by the "demo" phase). */
  demoDbPath: string;
  /** The history imported through `attest import` into an empty database (written by the "ingest" phase). */
  ledgerDbPath: string;
  /** The same lines by plain prepared INSERT: the ingest baseline's database (written by the "ingest-plain" phase). */
  plainDbPath: string;
}

export const log = (line: string): void => void process.stdout.write(line + '\n');
export const count = (n: number): string => formatCount(n);
export const seconds = (ms: number): string => `${formatDecimal(ms / 1000, 2)} s`;
export const millis = (ms: number): string => `${formatDecimal(ms, 1)} ms`;
export const rate = (n: number, ms: number, unit = 'events'): string => `${formatCount(Math.round(n / (ms / 1000)))} ${unit}/s`;
export const ratio = (value: number): string => formatDecimal(value, 2);
export const mib = (bytes: number): string => `${formatCount(Math.round(bytes / 2 ** 20))} MiB`;

export function time<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, performance.now() - started];
}

export async function timeAsync<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

/** p-th percentile (0–100) of a list of durations (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** mulberry32: a seeded, dependency-free random stream, so every run of a seed asks the same random inputs. */
export function seededRandom(seed: number): { float(): number; int(min: number, max: number): number; pick<T>(items: readonly T[]): T } {
  let state = seed >>> 0;
  const float = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (min: number, max: number): number => min + Math.floor(float() * (max - min + 1));
  return { float, int, pick: (items) => items[int(0, items.length - 1)]! };
}

/** The peak resident set of this process so far (bytes). Linux reports maxRSS in KiB. */
export const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

export const formatThreads = (threads: number): string => (threads === 1 ? '1 thread' : `${threads} threads`);
