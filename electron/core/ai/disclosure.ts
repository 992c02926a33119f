// The customer is told, in every AI reply, that an AI wrote it (EU AI Act Art. 50). The text is a constant of the
// product, not a setting: no configuration can send an AI reply without it. The reply's `message` event carries it
// twice over: the body ends with it (what the customer read) and the `disclosure` field names it (what an auditor
// counts), so the ledger itself records that the disclosure was made, in the same hashed event as the reply.
import type { Actor } from '../../../shared/domain.ts';
import type { AppendingEvent } from '../ledger/event-types/types.ts';
import { LineError } from '../ledger/line-error.ts';

export const AI_DISCLOSURE = '— This is an automated reply written by an AI assistant.';

/** The reply as the customer receives it: the text, a blank line, the disclosure. */
export function withDisclosure(text: string): string {
  return `${text}\n\n${AI_DISCLOSURE}`;
}

/** The fields of an AI reply's `message` line (author, public, body ending with the disclosure, disclosure). */
export function aiReplyFields(author: Actor, text: string): { author: Actor; public: true; body: string; disclosure: string } {
  return { author, public: true, body: withDisclosure(text), disclosure: AI_DISCLOSURE };
}

/**
 * The rule book's check, on every append path: a public message by an AI that Attest records now (its pipeline, an
 * approved draft, the demo, any code writing through recordEvents) names its disclosure, and the body the customer
 * read ends with it; a message that names a disclosure is a public AI message whose body ends with it.
 * Not required (but checked when stated): a helpdesk's history handed in as a file (messages of other systems, whose
 * AI replies Attest did not send) and replayed chained lines (an export of an older version restored).
 */
export function aiRepliesCarryTheirDisclosure(event: AppendingEvent): void {
  if (event.type !== 'message') return;
  const payload = event.payload as { author: Actor; public: boolean; body: string; disclosure?: string };
  const aiPublic = payload.author.kind === 'ai' && payload.public;
  if (payload.disclosure === undefined) {
    if (aiPublic && event.fromFile === null && !event.replayed) {
      throw new LineError('disclosure', 'a public AI reply must tell the customer it was written by an AI: name the disclosure its body ends with');
    }
    return;
  }
  if (!aiPublic) throw new LineError('disclosure', 'only a public message by an AI carries an AI disclosure');
  if (!payload.body.endsWith(payload.disclosure)) throw new LineError('body', 'must end with the AI disclosure the message names: the customer reads it');
}
