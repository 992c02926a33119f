// The customer is told, in every AI reply, that an AI wrote it (EU AI Act Art. 50). The organization may word the
// disclosure (organization/organization-settings.ts) but no setting can remove it: without one the product's own text
// below is used, and the rule book refuses a public AI reply that does not end with the disclosure it names. The
// reply's `message` event carries it twice over: the body ends with it (what the customer read) and the `disclosure`
// field names it (what an auditor counts), so the ledger itself records that the disclosure was made, in the same
// hashed event as the reply. The AI's signature (a setting too) sits between the text and the disclosure.
import type { Actor } from '../../../shared/domain.ts';
import type { AppendingEvent } from '../ledger/event-types/types.ts';
import { LineError } from '../ledger/line-error.ts';

/** The product's own disclosure, used until an organization records its wording. Names no company. */
export const AI_DISCLOSURE = '— This is an automated reply written by an AI assistant.';

/** What follows the AI's text in every reply: the organization's signature (if any), then the disclosure. */
export interface ReplyClosing {
  signature: string | null;
  disclosure: string;
}

/** The closing when the organization set nothing: no signature, the product's disclosure. */
export const PRODUCT_CLOSING: ReplyClosing = { signature: null, disclosure: AI_DISCLOSURE };

/** The reply as the customer receives it: the text, a blank line, the signature (if set), a blank line, the disclosure. */
export function withDisclosure(text: string, closing: ReplyClosing = PRODUCT_CLOSING): string {
  return [text, ...(closing.signature ? [closing.signature] : []), closing.disclosure].join('\n\n');
}

/** The fields of an AI reply's `message` line (author, public, body ending with the disclosure, disclosure). */
export function aiReplyFields(author: Actor, text: string, closing: ReplyClosing = PRODUCT_CLOSING): { author: Actor; public: true; body: string; disclosure: string } {
  return { author, public: true, body: withDisclosure(text, closing), disclosure: closing.disclosure };
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
