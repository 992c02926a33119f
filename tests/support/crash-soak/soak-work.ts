// The crash soak's work plan, shared by the child that does it and the parent that checks it: round r imports one
// batch file (a mapped CSV of open tickets the AI answers, a Freshdesk CSV or a Zendesk NDJSON export of past
// tickets, in turn), then the AI resolves what is open, outcomes are verified, and a checkpoint is signed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOPICS } from '../../../electron/core/demo/texts.ts';
import type { ImportFormat } from '../../../shared/contracts/importers.ts';

/** Tickets per batch file. */
export const BATCH_TICKETS = 4;
/** The categories the AI answers on its own (mode auto) in the soak ledger; all have shipped KB articles. */
export const AUTO_CATEGORIES = ['password_reset', 'how_to'] as const;

const FIXTURES = fileURLToPath(new URL('../../fixtures/importers/', import.meta.url));

export const GENERIC_MAPPING = {
  columns: { id: 'Ticket ID', created: 'Created', priority: 'Priority', category: 'Type', channel: 'Channel', subject: 'Subject', body: 'Description' },
  values: { priority: { Medium: 'normal' } },
  timestamps: { format: 'yyyy-MM-dd H:mm', timezone: 'UTC' },
};

export interface Batch {
  round: number;
  format: ImportFormat;
  fileName: string;
  /** The ticket ids the batch creates (all of them, or — had the import been cut — none). */
  tickets: string[];
  text: string;
}

const csvField = (value: string): string => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

function mappedCsv(round: number): Batch {
  const tickets: string[] = [];
  const lines = ['Ticket ID,Created,Priority,Type,Channel,Subject,Description'];
  for (let i = 0; i < BATCH_TICKETS; i++) {
    // Every other ticket in the AI's categories; the rest in one whose mode is off (the AI must leave them alone).
    const category = i % 2 === 0 ? AUTO_CATEGORIES[(i / 2) % AUTO_CATEGORIES.length]! : 'billing_question';
    const topic = TOPICS[category]![round % TOPICS[category]!.length]!;
    const id = `S${round}-${i}`;
    tickets.push(id);
    const body = topic.body[i % topic.body.length]!.replace(/\{(\w+)\}/g, (_, key: string) => (key === 'email' ? `c${round}-${i}@example.com` : key));
    lines.push([id, '2026-11-02 9:00', 'Medium', category, 'Email', topic.subjects[i % topic.subjects.length]!, body].map(csvField).join(','));
  }
  return { round, format: 'csv', fileName: `round-${round}.csv`, tickets, text: `${lines.join('\n')}\n` };
}

function freshdeskCsv(round: number): Batch {
  const [header, first] = readFileSync(join(FIXTURES, 'freshdesk-tickets.csv'), 'utf8').split('\n');
  const lines = [header!];
  const tickets: string[] = [];
  for (let i = 0; i < BATCH_TICKETS; i++) {
    const id = 1_000_000 + round * 100 + i;
    tickets.push(`fd-${id}`);
    lines.push(first!.replace(/^1001,/, `${id},`).replace('carla@example.com', `f${round}-${i}@example.com`).replace(',501,', `,${90_000 + id},`));
  }
  return { round, format: 'freshdesk', fileName: `round-${round}.csv`, tickets, text: `${lines.join('\n')}\n` };
}

function zendeskNdjson(round: number): Batch {
  const template = JSON.parse(readFileSync(join(FIXTURES, 'zendesk-full.ndjson'), 'utf8').split('\n')[0]!) as Record<string, unknown>;
  const lines: string[] = [];
  const tickets: string[] = [];
  for (let i = 0; i < BATCH_TICKETS; i++) {
    const id = 2_000_000 + round * 100 + i;
    tickets.push(`zd-${id}`);
    lines.push(JSON.stringify({ ...template, id, subject: `Refund for order ${id}` }));
  }
  return { round, format: 'zendesk', fileName: `round-${round}.ndjson`, tickets, text: `${lines.join('\n')}\n` };
}

/** Round r's batch: the same bytes every time it is asked for (a re-run imports the very file the killed run did). */
export function batchOf(round: number): Batch {
  const kind = round % 3;
  return kind === 0 ? mappedCsv(round) : kind === 1 ? freshdeskCsv(round) : zendeskNdjson(round);
}

/** The committed steps of a round, in order. */
export const STEP_KINDS = ['import', 'ai', 'verify-outcomes', 'checkpoint'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/**
 * One line of the side log: the events a step of the child saw committed (seq and hash; none for a re-run that found
 * its work done), or a round it finished; `worker` is the child's process id.
 */
export type SideLogEntry = { round: number; op: StepKind; worker: number; events: [number, string][] } | { round: number; op: 'round-done'; worker: number };

export function readSideLog(text: string): SideLogEntry[] {
  // A kill may cut the last line short (it was never fsync'd, so never acknowledged): only whole lines count.
  return text
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as SideLogEntry);
}
