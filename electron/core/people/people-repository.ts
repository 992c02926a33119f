// SQL of people: the password hashes beside the ledger, and the ledger-wide people and access events read back.
import type { Db } from '../db/connection.ts';
import { preparedOnce } from '../db/statement-cache.ts';
import type { Actor } from '../../../shared/domain.ts';

export interface PeopleEvent {
  seq: number;
  type: string;
  at: string;
  actor: Actor;
  payload: Record<string, unknown>;
}

interface EventRowLite {
  seq: number;
  type: string;
  at: string;
  actor: string;
  payload: string;
}

const toEvent = (row: EventRowLite): PeopleEvent => ({
  seq: row.seq,
  type: row.type,
  at: row.at,
  actor: JSON.parse(row.actor) as Actor,
  payload: JSON.parse(row.payload) as Record<string, unknown>,
});

export const ACCOUNT_EVENT_TYPES = ['accounts.required', 'account.created', 'account.roleChanged', 'account.disabled', 'account.enabled', 'account.passwordChanged', 'people.idleMinutes'] as const;
/** What decides whether an account is locked: failures since the last success, lockout or password change. */
const LOCKOUT_EVENT_TYPES = ['access.login', 'access.loginFailed', 'access.lockout', 'account.passwordChanged', 'account.enabled'] as const;

const placeholders = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

export class PeopleRepository {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Every account event and setting, in ledger order. */
  accountEvents(): PeopleEvent[] {
    return this.accountEventsBetween(0, Number.MAX_SAFE_INTEGER);
  }

  /**
   * The account events and settings after event #afterSeq up to #throughSeq, in ledger order: a range of the ticket
   * index's ledger-wide entries (ticket_id NULL, seq), so asking for the few events since the last look reads only those.
   */
  accountEventsBetween(afterSeq: number, throughSeq: number): PeopleEvent[] {
    const sql = `SELECT seq, type, at, actor, payload FROM events WHERE ticket_id IS NULL AND seq > ? AND seq <= ? AND type IN (${placeholders(ACCOUNT_EVENT_TYPES)}) ORDER BY seq`;
    return (preparedOnce(this.db, sql).all(afterSeq, throughSeq, ...ACCOUNT_EVENT_TYPES) as EventRowLite[]).map(toEvent);
  }

  /** The latest events that decide an account's lockout, newest first. */
  recentSignInEvents(account: string, limit: number): PeopleEvent[] {
    return (
      this.db
        .prepare(
          `SELECT seq, type, at, actor, payload FROM events WHERE ticket_id IS NULL AND type IN (${placeholders(LOCKOUT_EVENT_TYPES)})
           AND json_extract(payload, '$.account') = ? ORDER BY seq DESC LIMIT ?`,
        )
        .all(...LOCKOUT_EVENT_TYPES, account, limit) as EventRowLite[]
    ).map(toEvent);
  }

  lastLogin(account: string): string | null {
    return (
      (this.db
        .prepare("SELECT at FROM events WHERE ticket_id IS NULL AND type = 'access.login' AND json_extract(payload, '$.account') = ? ORDER BY seq DESC LIMIT 1")
        .pluck()
        .get(account) as string | undefined) ?? null
    );
  }

  /** Access events, newest first, filtered by type, account and time. */
  accessEvents(filter: { types: readonly string[]; account: string; from?: string; to?: string; offset: number; limit: number }): { total: number; rows: PeopleEvent[] } {
    const where = ['ticket_id IS NULL', `type IN (${placeholders(filter.types)})`];
    const params: unknown[] = [...filter.types];
    if (filter.account) {
      where.push("(json_extract(payload, '$.account') = ? OR json_extract(payload, '$.name') = ?)");
      params.push(filter.account, filter.account);
    }
    if (filter.from) {
      where.push('at >= ?');
      params.push(filter.from);
    }
    if (filter.to) {
      where.push('at <= ?');
      params.push(filter.to);
    }
    const clause = where.join(' AND ');
    const total = this.db.prepare(`SELECT count(*) FROM events WHERE ${clause}`).pluck().get(...params) as number;
    const rows = this.db.prepare(`SELECT seq, type, at, actor, payload FROM events WHERE ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...params, filter.limit, filter.offset) as EventRowLite[];
    return { total, rows: rows.map(toEvent) };
  }

  passwordHash(account: string): string | null {
    return (this.db.prepare('SELECT password FROM account_credentials WHERE account = ?').pluck().get(account) as string | undefined) ?? null;
  }

  setPasswordHash(account: string, hash: string, at: string): void {
    this.db
      .prepare('INSERT INTO account_credentials (account, password, changed_at) VALUES (?, ?, ?) ON CONFLICT (account) DO UPDATE SET password = excluded.password, changed_at = excluded.changed_at')
      .run(account, hash, at);
  }
}
