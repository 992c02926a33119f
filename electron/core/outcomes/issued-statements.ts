// Issuing a statement closes its period for good. In one write transaction: a signed checkpoint of the ledger's
// head, the statement computed from exactly those events, and the `statement.issued` event holding the document's
// text, its SHA-256 (of its RFC 8785 canonical JSON), its totals and that checkpoint. From then on the period's
// statement is that text byte for byte; what later touches the period is an adjustment of the first open one.
import type { IssuedStatementResult, PeriodState, Statement } from '../../../shared/contracts/outcomes.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import { recordEvents } from '../derived/record-events.ts';
import { canonicalJson, sha256Hex } from '../ledger/hashing.ts';
import type { InstallationKey } from '../checkpoints/installation-key.ts';
import { recordCheckpoint } from '../checkpoints/record-checkpoint.ts';
import { OutcomeInputError, resolveContract } from './outcome-book.ts';
import { OutcomeRepository } from './outcome-repository.ts';
import { checkPeriod, nextPeriod, periodEndMs, statementAt, statementJson, statementPeriods } from './statement.ts';

/** SHA-256 (hex) of a statement file's RFC 8785 canonical JSON: what `statement.issued` records. */
export function statementSha256(documentText: string): string {
  return sha256Hex(canonicalJson(JSON.parse(documentText)));
}

export function statementTotals(statement: Statement): Record<string, string | number> {
  return {
    currency: statement.currency,
    verified: statement.verified,
    reversed: statement.reversed,
    disputed: statement.disputed,
    awaiting: statement.awaiting,
    subtotal: statement.subtotal,
    credits: statement.credits,
    heldBack: statement.heldBack,
    adjustments: statement.adjustmentsTotal,
    total: statement.total,
  };
}

export interface IssueOptions {
  period: string;
  contract?: string;
  key: InstallationKey;
  actor: Actor;
  now?: Date;
}

/** Why `period` cannot be issued now, or null when it can. */
function refusalToIssue(db: Db, period: string, contractId: string, timezone: string, nowMs: number): string | null {
  const issued = new OutcomeRepository(db).issuedStatements(contractId);
  const same = issued.find((i) => i.payload.period === period);
  if (same) return `${contractId} ${period} was already issued (event #${same.seq}, ${same.at}); an issued statement never changes — later changes are adjustments of the first period not yet issued`;
  const last = issued.at(-1);
  if (last && period < last.payload.period) return `${contractId} ${last.payload.period} is already issued; ${period} is before it and closed with it — its later changes are adjustments of ${nextPeriod(last.payload.period)}`;
  const end = periodEndMs(period, timezone);
  if (nowMs < end) return `${period} has not ended yet (it ends ${new Date(end).toISOString()}, ${timezone}); a statement is issued after its period`;
  const earlier = statementPeriods(db, contractId).filter((p) => p < period && (!last || p > last.payload.period));
  if (earlier.length > 0) return `issue ${earlier.sort()[0]} first: statements are issued in order, and ${earlier.sort().join(', ')} ${earlier.length > 1 ? 'have' : 'has'} billing and ${earlier.length > 1 ? 'are' : 'is'} not issued`;
  return null;
}

/**
 * Issues the statement of `period`: checkpoint, statement, `statement.issued`, in one IMMEDIATE transaction (the
 * caller's, if one is open — the signature joins it). Returns the issued event's seq for the signature.
 */
export function issueStatement(db: Db, options: IssueOptions): IssuedStatementResult {
  checkPeriod(options.period);
  const now = options.now ?? new Date();
  const work = (): IssuedStatementResult => {
    const repository = new OutcomeRepository(db);
    const contract = resolveContract(repository, options.contract);
    const refused = refusalToIssue(db, options.period, contract.id, contract.timezone, now.getTime());
    if (refused) throw new OutcomeInputError(refused);
    const checkpoint = recordCheckpoint(db, options.key, now);
    const statement = statementAt(db, options.period, contract, checkpoint.treeSize);
    const document = statementJson(statement);
    const sha256 = statementSha256(document);
    const at = now.toISOString();
    const [recorded] = recordEvents(
      db,
      [
        {
          type: 'statement.issued',
          at,
          actor: options.actor,
          contract: contract.id,
          period: options.period,
          sha256,
          totals: statementTotals(statement),
          checkpoint: { seq: checkpoint.seq, treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash },
          document,
        },
      ],
      at,
    );
    return {
      contract: contract.id,
      period: options.period,
      seq: recorded!.seq,
      sha256,
      total: statement.total,
      currency: statement.currency,
      checkpoint: { seq: checkpoint.seq, treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash },
    };
  };
  return inWriteTransaction(db, work);
}

/** Every period with a statement, newest first: open or issued (by whom, when, under which checkpoint). */
export function periodStates(db: Db, contractId?: string): PeriodState[] {
  const repository = new OutcomeRepository(db);
  if (repository.contractVersions().length === 0) return [];
  const contract = resolveContract(repository, contractId);
  const issued = new Map(repository.issuedStatements(contract.id).map((i) => [i.payload.period, i]));
  const last = [...issued.keys()].sort().at(-1);
  const frontier = last ? nextPeriod(last) : null;
  return statementPeriods(db, contract.id).map((period): PeriodState => {
    const issue = issued.get(period);
    return {
      period,
      state: issue ? 'issued' : last && period < last ? 'closed' : 'open',
      seq: issue?.seq ?? null,
      issuedAt: issue?.at ?? null,
      issuedBy: issue ? (issue.actor.id ?? issue.actor.kind) : null,
      issuedByName: issue?.actor.name ?? null,
      sha256: issue?.payload.sha256 ?? null,
      total: issue ? String(issue.payload.totals.total) : null,
      treeSize: issue?.payload.checkpoint.treeSize ?? null,
      rootHash: issue?.payload.checkpoint.rootHash ?? null,
      frontier: period === frontier,
    };
  });
}
