import type { z } from 'zod';
import type { Actor } from '../../../../shared/domain.ts';
import type { LedgerReader } from '../ledger-reader.ts';

/** What a rule sees of the event being appended. */
export interface AppendingEvent {
  ticket: string | null;
  type: string;
  at: string;
  actor: Actor;
  /** The validated payload (every field of the line that is not an envelope field). */
  payload: Record<string, unknown>;
  /** When the ledger records it: the append time, or an exported line's own recordedAt. */
  recordedAt: string;
  /** A new (unchained) line of a file a person hands in, and who that is; null when Attest itself records it. */
  fromFile: { importedBy: Actor | null } | null;
  /**
   * An exact chained line (an export restored, a replica's events): a replay of what a ledger recorded then, under
   * the rules of its Attest version. Rules for facts that only a newer version writes (an AI reply's disclosure)
   * judge new records only, so every older export still restores.
   */
  replayed: boolean;
}

/**
 * A semantic check of one event type against what the ledger already holds. It runs inside the append
 * path (every importer, the console, the CLI and team sync alike) and throws LineError to refuse.
 */
export type EventRule = (event: AppendingEvent, ledger: LedgerReader) => void;

export interface EventTypeSpec {
  /** Validates every field of the line that is not an envelope field (ticket, type, at, actor, chain fields). */
  payload: z.ZodType<Record<string, unknown>>;
  /** 'ticket': the line must name a ticket; 'ledger': a ledger-wide fact, the line must not. */
  scope: 'ticket' | 'ledger';
  /** Who did it when the line does not say with `actor`; default: the system. */
  actor?: (payload: Record<string, unknown>) => Actor;
  /**
   * 'attest': only Attest itself writes it (verifications, AI decisions, checkpoints…). From a file it is
   * accepted only as an exact chained line replaying an Attest export. Default 'source': a fact that a
   * helpdesk or a person may state.
   */
  writtenBy?: 'attest' | 'source';
  /**
   * 'person': the event records an act of someone using Attest (a mode change, a review, a signature…). Once
   * the ledger has accounts, its actor must be an enabled account — on every append path.
   */
  actedBy?: 'person';
  /**
   * Once the ledger has accounts, this act (with this payload) needs an electronic signature: it is refused from a
   * file, which cannot carry one, and taken only through the signed paths of the console and the CLI.
   */
  signedOnceAccounts?: (payload: Record<string, unknown>) => boolean;
  /** The rule book for this type; see EventRule. */
  rules?: readonly EventRule[];
}
