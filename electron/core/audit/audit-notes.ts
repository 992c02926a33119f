// Review notes as ledger events: what an auditor concluded about one sampled ticket, with the sample it came from
// (seed and size), so a later reader can redraw the same sample and see which tickets were looked at.
import type { AuditNoteRow, AuditVerdict } from '../../../shared/contracts/audit-console.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { recordEvents } from '../derived/record-events.ts';
import { resolveContract } from '../outcomes/outcome-book.ts';
import { OutcomeRepository } from '../outcomes/outcome-repository.ts';
import { AuditRepository, type AuditEventRow } from './audit-repository.ts';
import { drawSample } from './sample.ts';
import { InputError } from '../errors.ts';

export interface AuditNoteInput {
  ticket: string;
  period: string;
  contract?: string;
  sample: { seed: string; size: number };
  verdict: AuditVerdict;
  note: string;
}

interface NotePayload {
  period: string;
  contract: string;
  sample: { seed: string; size: number };
  verdict: AuditVerdict;
  note: string;
}

function noteRow(row: AuditEventRow): AuditNoteRow {
  const payload = JSON.parse(row.payload) as NotePayload;
  const actor = JSON.parse(row.actor) as Actor;
  return {
    seq: row.seq,
    at: row.at,
    ticket: row.ticket_id!,
    period: payload.period,
    contract: payload.contract,
    sample: payload.sample,
    verdict: payload.verdict,
    note: payload.note,
    by: actor.id ?? actor.kind,
    byName: actor.name ?? null,
  };
}

/** Records the note (the rule book checks the actor is a person and the ticket exists) and returns it as listed. */
export function recordAuditNote(db: Db, input: AuditNoteInput, actor: Actor, at = new Date().toISOString()): AuditNoteRow {
  const contract = resolveContract(new OutcomeRepository(db), input.contract);
  // A note names the sample it came from: the ticket must be in that sample, redrawn now from the same seed and size
  // (so the ledger never holds review notes of samples that could not have been drawn).
  const sample = drawSample(db, { period: input.period, contract: contract.id, seed: input.sample.seed, size: input.sample.size });
  if (!sample.lines.some((drawn) => drawn.line.ticket === input.ticket)) {
    throw new InputError(`${input.ticket} is not in the sample of ${input.period} drawn with seed "${input.sample.seed}" and size ${input.sample.size} (${sample.population} billed tickets in that statement); a review note names a ticket of its sample`);
  }
  const [recorded] = recordEvents(db, [
    { ticket: input.ticket, type: 'audit.note', at, actor, period: input.period, contract: contract.id, sample: input.sample, verdict: input.verdict, note: input.note },
  ]);
  return auditNotes(db).find((note) => note.seq === recorded!.seq)!;
}

/** Every review note, newest first; only those of `period` when given. */
export function auditNotes(db: Db, period?: string): AuditNoteRow[] {
  return new AuditRepository(db)
    .auditNoteEvents()
    .map(noteRow)
    .filter((note) => period === undefined || note.period === period)
    .reverse();
}
