export interface BenchContext {
  tickets: number;
  seed: number;
  /** A scratch folder for this run, removed afterwards. */
  dir: string;
  /** The generator's history as Attest JSONL (written by the ledger section). */
  historyFile: string;
  /** A database holding that history with its projections rebuilt (written by the ledger section). */
  ledgerDbPath: string;
}

export const log = (line: string): void => void process.stdout.write(line + '\n');
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
export const rate = (n: number, ms: number, unit = 'events'): string => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} ${unit}/s`;

export function time<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, performance.now() - started];
}

/** p-th percentile (0–100) of a list of durations. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
