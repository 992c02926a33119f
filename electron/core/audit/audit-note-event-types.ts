// `audit.note`: an auditor's review note on one ticket of a drawn sample (issue 12, item 7). Only Attest writes it
// (a file cannot state one: its line is refused unless it replays an Attest export), and it is a person's act:
// once the ledger has accounts its actor is the signed-in account, and in any ledger it is a human.
import { z } from 'zod';
import type { EventRule, EventTypeSpec } from '../ledger/event-types/types.ts';
import { LineError } from '../ledger/line-error.ts';
import { AUDIT_VERDICTS } from '../../../shared/contracts/audit-console.ts';

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month "YYYY-MM"');

/** A review is somebody's judgement: never the system's, an AI's or a customer's. */
const noteIsAPersonsAct: EventRule = (event) => {
  if (event.actor.kind !== 'human') throw new LineError('actor', `an audit note is written by a person; "${event.actor.kind}" cannot record one`);
};

/** The note names a ticket the ledger knows. */
const noteNamesAKnownTicket: EventRule = (event, ledger) => {
  if (ledger.ofTicket(event.ticket!).length === 0) throw new LineError('ticket', `${event.ticket} is not a ticket of this ledger`);
};

export const AUDIT_NOTE_EVENT_TYPES: Record<string, EventTypeSpec> = {
  'audit.note': {
    scope: 'ticket',
    writtenBy: 'attest',
    actedBy: 'person',
    rules: [noteIsAPersonsAct, noteNamesAKnownTicket],
    payload: z
      .object({
        period,
        contract: z.string().min(1),
        sample: z.object({ seed: z.string().min(1), size: z.number().int().positive() }).strict(),
        verdict: z.enum(AUDIT_VERDICTS),
        note: z.string().min(1, 'a note is required'),
      })
      .strict(),
  },
};
