// Baselines: a pre-deployment period's KPI values frozen in the ledger with the hash of the definitions.
import type { BaselineRow, KpiValues } from '../../../shared/contracts/kpis.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { recordEvents } from '../derived/record-events.ts';
import { kpiDefinitionsHash } from './definitions.ts';
import { signaturesOf } from '../people/signatures.ts';
import { ledgerWideEvents } from './kpi-repository.ts';
import { KpiInputError, kpiReport, resolvePeriod } from './kpi-report.ts';

interface FrozenPayload {
  name: string;
  from: string;
  to: string;
  definitionsHash: string;
  overall: KpiValues;
  byCategory: Record<string, KpiValues>;
}

const actorName = (actor: Actor): string => actor.id ?? actor.model ?? actor.kind;

export function listBaselines(db: Db): BaselineRow[] {
  const hash = kpiDefinitionsHash();
  const rows = ledgerWideEvents(db, 'baseline.frozen');
  const signatures = Map.groupBy(signaturesOf(db, rows.map((row) => row.seq)), (signature) => signature.signedSeq);
  return rows.map((row) => {
    const payload = JSON.parse(row.payload) as FrozenPayload;
    return {
      seq: row.seq,
      name: payload.name,
      from: payload.from,
      to: payload.to,
      frozenAt: row.at,
      frozenBy: actorName(JSON.parse(row.actor) as Actor),
      definitionsHash: payload.definitionsHash,
      definitionsMatch: payload.definitionsHash === hash,
      overall: payload.overall,
      byCategory: payload.byCategory,
      signatures: signatures.get(row.seq) ?? [],
    };
  });
}

/** The baseline with this seq, or the latest one; null when none was frozen. */
export function findBaseline(db: Db, seq?: number): BaselineRow | null {
  const all = listBaselines(db);
  if (seq === undefined) return all.at(-1) ?? null;
  const found = all.find((row) => row.seq === seq);
  if (!found) throw new KpiInputError(`baseline: no baseline was frozen at ledger seq ${seq}`);
  return found;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function freezeBaseline(db: Db, input: { name: string; from: string; to: string }, actor: Actor, at = new Date().toISOString()): BaselineRow {
  if (!DAY.test(input.from)) throw new KpiInputError(`from: a baseline period is whole days, YYYY-MM-DD (got "${input.from}")`);
  if (!DAY.test(input.to)) throw new KpiInputError(`to: a baseline period is whole days, YYYY-MM-DD (got "${input.to}")`);
  resolvePeriod(input.from, input.to);
  if (listBaselines(db).some((row) => row.name === input.name)) throw new KpiInputError(`name: a baseline named "${input.name}" is already frozen; choose another name`);
  const report = kpiReport(db, { from: input.from, to: input.to, by: 'category' });
  if (report.tickets === 0) throw new KpiInputError(`from/to: no tickets were created between ${input.from} and ${input.to}; nothing to freeze`);
  const { groups, notes: _notes, by: _by, from: _from, to: _to, flagged: _flagged, ...overall } = report;
  const [recorded] = recordEvents(
    db,
    [{ type: 'baseline.frozen', at, actor, name: input.name, from: input.from, to: input.to, definitionsHash: kpiDefinitionsHash(), overall, byCategory: groups }],
    at,
  );
  return findBaseline(db, recorded!.seq)!;
}
