// Appends events to the hash chain. Callers run it inside their own transaction.
//
// Every path that adds events (JSONL import, the helpdesk importers, the console, the CLI, the demo,
// later team sync) goes through LedgerWriter.append, so the rule book is enforced here and only here:
//  - an exported (chained) line is accepted only exactly: its hash must match its content, a line already in
//    the ledger must be byte-for-byte the stored event, and a new one must continue the head;
//  - an event type that only Attest writes is refused from a file unless it is such an exact chained line;
//  - each event type's semantic rules (EventTypeSpec.rules) judge the event against the ledger itself.
import type { Db } from '../db/connection.ts';
import type { Actor } from '../../../shared/domain.ts';
import { canonicalActorJson, eventHash, type HashedFields } from './hashing.ts';
import { eventTypeSpecOf, LineError, parseEventLine, type LedgerEventInput } from './event-lines.ts';
import { FingerprintFilter } from './fingerprint-filter.ts';
import { contentKey, LedgerRepository, type Head, type RawEventRow } from './ledger-repository.ts';
import { ledgerReader, type LedgerReader } from './ledger-reader.ts';
import { requireNotAReplica } from './replica-guard.ts';
import { StoredContentMemory } from './stored-content.ts';
import { appendRulesForAll } from './event-registry.ts';
import type { AppendingEvent } from './event-types/types.ts';
import { sessionStartLine, sessionStartRecorded } from '../sessions/session-start.ts';

export type AppendOutcome = 'added' | 'duplicate';

export interface LedgerWriterOptions {
  /**
   * 'file': the lines come from a file a person hands in (JSONL import); they may state only facts a source
   * system or a person can state. 'attest' (default): Attest's own code writes them.
   */
  source?: 'attest' | 'file';
  /** Who hands the file in (source 'file'): the rules hold its lines to what that person may state. */
  importedBy?: Actor;
  /** The clock a chained line's recordedAt is compared with (tests move it). */
  now?: () => string;
  /**
   * false: this writer records no session.started of its own — the demo, which simulates a ledger recorded live
   * with its own sessions. Default true (see sessions/session-start.ts).
   */
  announcesSession?: boolean;
  /** Bytes of stored content the duplicate check may hold in memory (tests make it small). */
  storedContentBudget?: number;
  /** Bytes of a ticket's content up to which the duplicate check searches it, rather than a set (tests make it small). */
  storedContentSearchedMaxBytes?: number;
}

const CHAINED_FIELDS: readonly { index: number; field: string }[] = [
  { index: 1, field: 'ticket' },
  { index: 2, field: 'type' },
  { index: 3, field: 'at' },
  { index: 4, field: 'recordedAt' },
  { index: 5, field: 'actor' },
  { index: 6, field: 'payload' },
  { index: 7, field: 'prevHash' },
  { index: 8, field: 'hash' },
];

const short = (hash: string): string => hash.slice(0, 12);

const fingerprintOf = (ticket: string | null, type: string, at: string, actor: string, payload: string): string =>
  `${ticket}\u0000${contentKey(type, at, actor, payload)}`;

export class LedgerWriter {
  private readonly repository: LedgerRepository;
  private readonly reader: LedgerReader;
  private readonly source: 'attest' | 'file';
  private readonly now: () => string;
  private readonly importedBy: Actor | undefined;
  private head: Head;
  /**
   * Whether the ledger was empty when this writer began: only then can chained lines from a file be a whole
   * export restored from genesis, the one case in which a file may add events only Attest writes.
   */
  private readonly startedEmpty: boolean;
  private dirty = false;
  /** The previous chained line this writer saw: chained lines of one file must link to each other. */
  private lastChained: { seq: number; hash: string } | null = null;
  /** Tickets seen by this writer: whether they already had events when it first met them. */
  private readonly ticketHadEvents = new Map<string | null, boolean>();
  /** Fingerprints of the events this writer appended, to spot duplicates within one import cheaply. */
  private readonly appended = new FingerprintFilter();
  /** The content of the tickets that had events before this writer met them, read once per ticket. */
  private readonly storedContent: StoredContentMemory;
  private readonly dbFile: string;
  private readonly announcesSession: boolean;
  /** The UTC day for which this writer made sure the process's session.started is recorded. */
  private announcedDay: string | null = null;

  constructor(db: Db, options: LedgerWriterOptions = {}) {
    this.repository = new LedgerRepository(db);
    requireNotAReplica(db, this.repository.replicaOf());
    this.reader = ledgerReader(this.repository);
    this.storedContent = new StoredContentMemory(this.repository, options.storedContentBudget, options.storedContentSearchedMaxBytes);
    this.source = options.source ?? 'attest';
    this.now = options.now ?? (() => new Date().toISOString());
    this.importedBy = options.importedBy;
    this.head = this.repository.lastEvent();
    this.startedEmpty = this.head.seq === 0;
    this.dbFile = db.name;
    this.announcesSession = options.announcesSession ?? true;
  }

  /**
   * Records the process's session.started (when it declared one and has not recorded it on this UTC day yet) as the
   * next event. The writer does it by itself before the first new event of each day; code that reads the head to
   * compute what it appends (a checkpoint: seq = treeSize + 1) calls it before reading.
   */
  announceSession(recordedAt: string): void {
    if (!this.announcesSession) return;
    if (recordedAt < this.head.recordedAt) recordedAt = this.head.recordedAt;
    const day = recordedAt.slice(0, 10);
    if (this.announcedDay === day) return;
    this.announcedDay = day;
    const line = sessionStartLine(this.dbFile, recordedAt, (seq, hash) => this.repository.rowAtSeq(seq)?.[8] === hash);
    if (line && this.appendEvent(parseEventLine(line), recordedAt, 'attest') === 'added') {
      sessionStartRecorded(this.dbFile, recordedAt, this.head.seq, this.head.hash);
    }
  }

  currentHead(): Head {
    return { ...this.head };
  }

  /**
   * Appends one event, or reports it as a duplicate of one already in the ledger. Exported lines (with seq
   * and hashes) are taken exactly or refused; any other line gets the next sequence number and a fresh hash,
   * with `recordedAt` as the time of the append.
   */
  append(event: LedgerEventInput, recordedAt: string): AppendOutcome {
    return this.appendEvent(event, recordedAt, this.source);
  }

  /** Appends Attest's own record about the lines this writer took from a file (e.g. their import.file). */
  appendOwnRecord(event: LedgerEventInput, recordedAt: string): AppendOutcome {
    return this.appendEvent(event, recordedAt, 'attest');
  }

  private appendEvent(event: LedgerEventInput, recordedAt: string, source: 'attest' | 'file'): AppendOutcome {
    if (event.seq !== undefined && event.hash !== undefined) return this.appendChained(event, source);
    const spec = eventTypeSpecOf(event.type);
    if (source === 'file' && spec.writtenBy === 'attest') {
      throw new LineError(
        'type',
        `"${event.type}" is written only by Attest itself; a file may carry it only as an exact chained line of an Attest export (with seq, recordedAt, prevHash and hash)`,
      );
    }
    const actor = canonicalActorJson(event.actor);
    // A duplicate is possible only for a ticket that had events before, or for an event this writer may
    // already have appended; only then is the stored content compared, exactly.
    const fingerprint = fingerprintOf(event.ticket, event.type, event.at, actor, event.payload);
    const hadEvents = this.hadEvents(event.ticket);
    const duplicate = hadEvents
      ? this.storedContent.holds(event.ticket, event.type, event.at, actor, event.payload)
      : this.appended.mightContain(fingerprint) && this.repository.hasSameContent(event.ticket, event.type, event.at, actor, event.payload);
    if (duplicate) return 'duplicate';
    // The ledger's record times never go backwards (a clock that stepped back, a caller's earlier time), so every
    // export re-imports and a chained line recorded before its predecessor can always be refused as back-dated.
    if (recordedAt < this.head.recordedAt) recordedAt = this.head.recordedAt;
    if (event.type !== 'session.started') this.announceSession(recordedAt);
    this.applyRules(event, recordedAt, source === 'file' ? { importedBy: this.importedBy ?? null } : null, false);
    const fields: HashedFields = {
      seq: this.head.seq + 1,
      ticket: event.ticket,
      type: event.type,
      at: event.at,
      recordedAt,
      actor,
      payload: event.payload,
      prevHash: this.head.hash,
    };
    this.write(fields, eventHash(fields), fingerprint);
    return 'added';
  }

  /** An exported line: its own hash must hold, it must be the stored event or continue the head exactly. */
  private appendChained(event: LedgerEventInput, source: 'attest' | 'file'): AppendOutcome {
    const fields: HashedFields = {
      seq: event.seq!,
      ticket: event.ticket,
      type: event.type,
      at: event.at,
      recordedAt: event.recordedAt!,
      actor: canonicalActorJson(event.actor),
      payload: event.payload,
      prevHash: event.prevHash!,
    };
    if (eventHash(fields) !== event.hash) throw new LineError('hash', 'does not match the content of the line (the event was altered after export)');
    const previous = this.lastChained;
    if (previous && (fields.seq !== previous.seq + 1 || fields.prevHash !== previous.hash)) {
      if (fields.seq !== previous.seq + 1) {
        throw new LineError('seq', `is #${fields.seq} right after #${previous.seq}: chained lines must follow each other (a line is missing or out of order)`);
      }
      throw new LineError('prevHash', `does not link to the line before it (#${previous.seq}, hash ${short(previous.hash)}…): the chain of the file is broken`);
    }
    this.lastChained = { seq: fields.seq, hash: event.hash! };
    if (fields.seq <= this.head.seq) {
      this.requireSameAsStored(fields, event.hash!);
      return 'duplicate';
    }
    if (fields.seq !== this.head.seq + 1) {
      throw new LineError('seq', `is #${fields.seq} but the ledger's head is #${this.head.seq}: a chained line must continue the head (events are missing before it)`);
    }
    if (fields.prevHash !== this.head.hash) {
      throw new LineError('prevHash', `does not link to the ledger's head #${this.head.seq} (hash ${short(this.head.hash)}…): this export is not a continuation of this ledger`);
    }
    if (fields.recordedAt < this.head.recordedAt) {
      throw new LineError('recordedAt', `${fields.recordedAt} is before the recordedAt of #${this.head.seq} (${this.head.recordedAt}): the ledger records events in time order`);
    }
    const now = this.now();
    if (fields.recordedAt > now) throw new LineError('recordedAt', `${fields.recordedAt} is in the future (now ${now})`);
    // Anyone can compute a hash that continues a head they have seen, so a chained line that adds an event to a
    // ledger that already had events is no proof that Attest wrote it (a verification "by attest-verifier" would
    // be billed). Such types come from a file only as a whole export restored into an empty ledger.
    if (source === 'file' && !this.startedEmpty && eventTypeSpecOf(event.type).writtenBy === 'attest') {
      throw new LineError(
        'type',
        `"${event.type}" is written only by Attest itself; a file may add it only when a whole export is restored into an empty ledger, not as #${fields.seq} after the events this ledger already holds`,
      );
    }
    // A whole export restored into an empty ledger replays what Attest recorded then: judged as Attest's own
    // record. A chained line that adds to a ledger which already had events proves nothing (anyone can continue a
    // head they have seen): it is judged as the importer's own statement, like any new line of a file.
    // Only a replay is let off the rules added since it was recorded (a reason on a KB version, …); a continuation
    // is a new statement and is held to every rule of today.
    const continuation = source === 'file' && !this.startedEmpty;
    const fromFile = continuation ? { importedBy: this.importedBy ?? null } : null;
    this.applyRules(event, fields.recordedAt, fromFile, !continuation);
    this.write(fields, event.hash!);
    return 'added';
  }

  private requireSameAsStored(fields: HashedFields, hash: string): void {
    const stored = this.repository.rowAtSeq(fields.seq);
    if (!stored) throw new LineError('seq', `#${fields.seq} is not in this ledger although its head is #${this.head.seq}`);
    const line: RawEventRow = [fields.seq, fields.ticket, fields.type, fields.at, fields.recordedAt, fields.actor, fields.payload, fields.prevHash, hash];
    const differing = CHAINED_FIELDS.filter(({ index }) => line[index] !== stored[index]).map(({ field }) => field);
    if (differing.length > 0) {
      throw new LineError(
        differing[0]!,
        `differs from event #${fields.seq} already in the ledger (${differing.join(', ')} differ; ledger hash ${short(stored[8])}…, line hash ${short(hash)}…)`,
      );
    }
  }

  /** The universal rule (nothing is recorded before it happened) and the event type's own rules. */
  private applyRules(event: LedgerEventInput, recordedAt: string, fromFile: AppendingEvent['fromFile'], replayed: boolean): void {
    if (event.at > recordedAt) throw new LineError('at', `${event.at} is after the time the ledger records the event (${recordedAt}): an event cannot be recorded before it happens`);
    const forAll = appendRulesForAll();
    const ofType = eventTypeSpecOf(event.type).rules ?? [];
    if (forAll.length === 0 && ofType.length === 0) return;
    // The payload is parsed when a rule first reads it: most events' rules read only the envelope (an import of a
    // helpdesk's history parsed every payload here for nothing but its messages' disclosure check).
    let payload: Record<string, unknown> | undefined;
    const appending: AppendingEvent = {
      ticket: event.ticket,
      type: event.type,
      at: event.at,
      actor: event.actor,
      get payload(): Record<string, unknown> {
        return (payload ??= JSON.parse(event.payload) as Record<string, unknown>);
      },
      recordedAt,
      fromFile,
      replayed,
    };
    for (const rule of forAll) rule(appending, this.reader);
    for (const rule of ofType) rule(appending, this.reader);
  }

  private hadEvents(ticket: string | null): boolean {
    let had = this.ticketHadEvents.get(ticket);
    if (had === undefined) {
      had = this.repository.hasEvents(ticket);
      this.ticketHadEvents.set(ticket, had);
    }
    return had;
  }

  /** Records the head so that a truncated tail is detectable; call once before committing. */
  flush(): void {
    if (this.dirty) this.repository.saveHead(this.head);
    this.dirty = false;
  }

  /** Every append ends here: the duplicate check learns of the event whichever path added it. */
  private write(fields: HashedFields, hash: string, fingerprint = fingerprintOf(fields.ticket, fields.type, fields.at, fields.actor, fields.payload)): void {
    this.appended.add(fingerprint);
    this.storedContent.noteAppended(fields.ticket, fields.type, fields.at, fields.actor, fields.payload);
    this.repository.insert([fields.seq, fields.ticket, fields.type, fields.at, fields.recordedAt, fields.actor, fields.payload, fields.prevHash, hash]);
    this.head = { seq: fields.seq, hash, recordedAt: fields.recordedAt };
    this.dirty = true;
  }
}
