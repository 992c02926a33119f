// A seeded, reproducible sample of billed tickets of one period's statement. The rule is simple enough to redo by
// hand with any SHA-256 tool, so an auditor can show that the sample was not picked:
//   1. take the statement of the period (an issued period: the issued document) and keep its billed lines —
//      status "billed" or "billed_and_reversed" (the lines that charged in that period);
//   2. for each, key = lowercase hex SHA-256 of the UTF-8 text `<seed>:<ticket>` (e.g. `q3-audit:T-1042`);
//   3. order by key ascending (ties — the same ticket verified twice — by verifiedSeq ascending);
//   4. the sample is the first `size` lines.
import { createHash } from 'node:crypto';
import type { AuditSample, SampleLine } from '../../../shared/contracts/audit-console.ts';
import type { StatementLine } from '../../../shared/contracts/outcomes.ts';
import type { Db } from '../db/connection.ts';
import { buildStatement } from '../outcomes/statement.ts';
import { OutcomeRepository } from '../outcomes/outcome-repository.ts';

const BILLED: ReadonlySet<StatementLine['status']> = new Set(['billed', 'billed_and_reversed']);

export const SAMPLE_RULE =
  'billed lines (status billed or billed_and_reversed) of the period\'s statement, ordered by the lowercase hex SHA-256 of "<seed>:<ticket>" ascending (ties by verifiedSeq), first <size>';

export function sampleKey(seed: string, ticket: string): string {
  return createHash('sha256').update(`${seed}:${ticket}`, 'utf8').digest('hex');
}

/** The rule applied to statement lines (pure: the same seed and lines give the same sample). */
export function drawFromLines(lines: readonly StatementLine[], seed: string, size: number): { population: number; lines: SampleLine[] } {
  const billed = lines.filter((line) => BILLED.has(line.status));
  const keyed = billed.map((line) => ({ key: sampleKey(seed, line.ticket), line }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.line.verifiedSeq - b.line.verifiedSeq));
  return { population: billed.length, lines: keyed.slice(0, size) };
}

export interface SampleRequest {
  period: string;
  contract?: string;
  size: number;
  seed: string;
}

export function drawSample(db: Db, request: SampleRequest): AuditSample {
  const statement = buildStatement(db, request.period, request.contract);
  const issued = new OutcomeRepository(db).issuedStatements(statement.contract.id).some((i) => i.payload.period === request.period);
  const drawn = drawFromLines(statement.lines, request.seed, request.size);
  return {
    period: statement.period,
    contract: statement.contract.id,
    seed: request.seed,
    size: request.size,
    population: drawn.population,
    rule: SAMPLE_RULE,
    issued,
    lines: drawn.lines,
  };
}
