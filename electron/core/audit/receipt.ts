// A per-resolution receipt (in the spirit of C2SP tlog-proof): one ticket's outcome events, the evidence events
// they name and the contract version they bill under, each exported line with its RFC 9162 inclusion proof under
// one signed checkpoint (with every cosignature recorded for it). A supplier and a buyer settle one disputed
// resolution by exchanging this one file; `attest-verify.mjs` checks it without the ledger.
import type { Db } from '../db/connection.ts';
import { proveInclusion } from '../checkpoints/ledger-proofs.ts';
import { formatEventLine } from '../ledger/event-lines.ts';
import { ledgerReader, type LedgerReader, type StoredEvent } from '../ledger/ledger-reader.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { formatMinor } from '../outcomes/money.ts';
import { OutcomeInputError, openDispute, readBook, resolveContract, type VerifiedRecord } from '../outcomes/outcome-book.ts';
import { OutcomeRepository } from '../outcomes/outcome-repository.ts';
import { coveringCosignature } from '../outcomes/statement-lines.ts';
import { signaturesOf } from '../people/signatures.ts';

export const RECEIPT_FORMAT = 'attest-receipt/v1';

export type ReceiptState = 'billed' | 'held' | 'awaiting_cosignature' | 'reversed';

export interface ReceiptEvent {
  /** The event's exported JSONL line, as an object. */
  line: Record<string, unknown>;
  leafIndex: number;
  /** RFC 9162 §2.1.3 inclusion proof under the receipt's checkpoint, standard base64 hashes. */
  proof: string[];
}

export interface Receipt {
  format: typeof RECEIPT_FORMAT;
  ticket: string;
  contract: string;
  origin: string;
  /** The verifier key (type 0x01) that signed the checkpoint. */
  installationKey: string;
  /** The signed checkpoint note, every recorded cosignature line appended. */
  checkpoint: string;
  treeSize: number;
  events: ReceiptEvent[];
  outcome: { state: ReceiptState; verifiedSeq: number; price: string; currency: string; period: string };
}

export class ReceiptError extends OutcomeInputError {}

interface Plan {
  contract: string;
  record: VerifiedRecord;
  seqs: number[];
  /** The buyer's cosignature that makes the outcome billable (contracts that require one), and the checkpoint it cosigns. */
  billingCosignature: { seq: number; checkpointSeq: number } | null;
  state: ReceiptState;
  price: string;
  currency: string;
}

function plan(db: Db, ticket: string, contractId?: string): Plan {
  const outcomes = new OutcomeRepository(db);
  const contract = resolveContract(outcomes, contractId);
  const record = readBook(outcomes, contract, ticket).get(ticket);
  if (!record) throw new ReceiptError(`ticket ${ticket} has no verified outcome under contract ${contract.id}: there is nothing to give a receipt for`);
  const seqs = new Set<number>();
  const versionSeq = contract.seqs.get(record.version);
  if (versionSeq !== undefined) seqs.add(versionSeq);
  for (const event of outcomes.outcomeEventsOfTicket(ticket)) {
    if (event.payload.contract !== contract.id) continue;
    seqs.add(event.seq);
    // The evidence an outcome event names: the solve it verified, the events it rests on, the dispute it decides.
    const evidence = Array.isArray(event.payload.evidence) ? (event.payload.evidence as unknown[]) : [];
    for (const seq of evidence) seqs.add(Number(seq));
    for (const field of ['solveSeq', 'verifiedSeq', 'disputeSeq']) if (typeof event.payload[field] === 'number') seqs.add(event.payload[field]);
  }
  // The signatures on any of them (the contract version's, a dispute decision's).
  for (const signature of signaturesOf(db, [...seqs])) seqs.add(signature.seq);
  const cosignatures = outcomes.cosignedCheckpoints();
  const cosigned = coveringCosignature(record, contract, cosignatures);
  const billing = typeof cosigned === 'number' ? cosignatures.find((c) => c.seq === cosigned)! : null;
  const state: ReceiptState = record.reversal ? 'reversed' : openDispute(record) ? 'held' : cosigned === null ? 'awaiting_cosignature' : 'billed';
  return {
    contract: contract.id,
    record,
    seqs: [...seqs].sort((a, b) => a - b),
    billingCosignature: billing ? { seq: billing.seq, checkpointSeq: billing.checkpointSeq } : null,
    state,
    price: formatMinor(record.priceMinor, contract.digits),
    currency: contract.currency,
  };
}

/**
 * The checkpoint a receipt is proven under: the newest cosigned checkpoint that covers every event (its tree
 * size ≥ the last event's number), else the newest checkpoint that does; null when none does.
 */
function coveringCheckpoint(reader: LedgerReader, lastSeq: number): StoredEvent | null {
  const covering = reader.ledgerWide('checkpoint').filter((c) => Number(c.payload.treeSize) >= lastSeq);
  const cosigned = new Set(reader.ledgerWide('checkpoint.cosigned').map((c) => Number(c.payload.checkpointSeq)));
  return covering.filter((c) => cosigned.has(c.seq)).at(-1) ?? covering.at(-1) ?? null;
}

/**
 * The receipt's events and the checkpoint they are proven under. When the outcome is billable through a buyer's
 * cosignature that is not on that checkpoint (a later one was needed), the cosignature event and the checkpoint it
 * cosigns travel with the receipt as proven events, so the receipt alone still shows why it is billable.
 */
function provenEvents(reader: LedgerReader, planned: Plan): { seqs: number[]; checkpoint: StoredEvent | null } {
  const checkpoint = coveringCheckpoint(reader, planned.seqs.at(-1)!);
  const billing = planned.billingCosignature;
  if (!billing || checkpoint?.seq === billing.checkpointSeq) return { seqs: planned.seqs, checkpoint };
  const seqs = [...new Set([...planned.seqs, billing.seq, billing.checkpointSeq])].sort((a, b) => a - b);
  return { seqs, checkpoint: coveringCheckpoint(reader, seqs.at(-1)!) };
}

/** Whether no stored checkpoint covers the receipt's events yet (then one must be signed first: a write). */
export function receiptNeedsCheckpoint(db: Db, ticket: string, contractId?: string): boolean {
  return provenEvents(ledgerReader(new LedgerRepository(db)), plan(db, ticket, contractId)).checkpoint === null;
}

/** The receipt of one ticket's outcome; read it in one snapshot (a transaction) so proofs and checkpoint agree. */
export function buildReceipt(db: Db, ticket: string, contractId?: string): Receipt {
  const planned = plan(db, ticket, contractId);
  const repository = new LedgerRepository(db);
  const reader = ledgerReader(repository);
  const { seqs, checkpoint } = provenEvents(reader, planned);
  if (!checkpoint) throw new ReceiptError(`no signed checkpoint covers event #${seqs.at(-1)!} yet: sign one first ("attest checkpoint")`);
  const treeSize = Number(checkpoint.payload.treeSize);
  const cosignatures = reader
    .ledgerWide('checkpoint.cosigned')
    .filter((c) => Number(c.payload.checkpointSeq) === checkpoint.seq)
    .map((c) => `${String(c.payload.signature)}\n`);
  const events = seqs.map((seq): ReceiptEvent => {
    const row = repository.eventAtSeq(seq);
    if (!row) throw new ReceiptError(`event #${seq} named by ticket ${ticket}'s outcome is not in the ledger`);
    const proof = proveInclusion(db, seq, treeSize);
    if (Buffer.from(proof.rootHash, 'hex').toString('base64') !== checkpoint.payload.rootHash) {
      throw new ReceiptError(`the ledger's first ${treeSize} events no longer have the root of checkpoint #${checkpoint.seq}: the history was rewritten`);
    }
    return { line: JSON.parse(formatEventLine(row)) as Record<string, unknown>, leafIndex: proof.leafIndex, proof: proof.proof.map((h) => Buffer.from(h, 'hex').toString('base64')) };
  });
  return {
    format: RECEIPT_FORMAT,
    ticket,
    contract: planned.contract,
    origin: String(checkpoint.payload.origin),
    installationKey: String(checkpoint.payload.key),
    checkpoint: String(checkpoint.payload.note) + cosignatures.join(''),
    treeSize,
    events,
    outcome: { state: planned.state, verifiedSeq: planned.record.seq, price: planned.price, currency: planned.currency, period: planned.record.period },
  };
}
