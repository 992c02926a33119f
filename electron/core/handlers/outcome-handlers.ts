// Outcome contracts in the console: explanations, statements, disputes, attribution — reads that never write —
// and verification, a deliberate job for the roles that may write (one run at a time, progress pushed as events).
import type { ContractVersionRow } from '../../../shared/contracts/outcomes.ts';
import { readOffThread } from './read-thread.ts';
import { priceMinor } from '../outcomes/contract-schema.ts';
import { decideDispute, openDisputeOn } from '../outcomes/disputes.ts';
import { explainTicket, TicketNotFoundError } from '../outcomes/explain.ts';
import { currencyDigits, formatMinor } from '../outcomes/money.ts';
import { OutcomeRepository } from '../outcomes/outcome-repository.ts';
import { statementDocument } from '../outcomes/statement.ts';
import { statementPdf } from '../outcomes/statement-pdf.ts';
import { statementPdfContext } from '../outcomes/statement-pdf-context.ts';
import { runVerificationJob } from '../outcomes/verification.ts';
import { emptyVerificationMemory, type PackedVerificationMemory, type VerificationMemory } from '../outcomes/verification-memory.ts';
import { resolveAsOf } from '../outcomes/as-of.ts';
import { JobThread, jobsRunInThreads } from './job-thread.ts';
import { issueStatement } from '../outcomes/issued-statements.ts';
import { NotFoundError, type Caller, type CoreContext, type FeatureHandlers } from './context.ts';
import type { DisputeRow, VerificationProgress, VerificationReport } from '../../../shared/contracts/outcomes.ts';
import type { SignatureInput } from '../../../shared/contracts/people.ts';
import { runSigned } from '../people/signatures.ts';
import { emitLedgerChanged } from './ledger-changed.ts';
import { InputError } from '../errors.ts';

type OutcomeMethod =
  | 'outcomes.contracts'
  | 'outcomes.verify'
  | 'outcomes.cancelVerify'
  | 'outcomes.explain'
  | 'outcomes.periods'
  | 'outcomes.statement'
  | 'outcomes.statementPdf'
  | 'outcomes.periodStates'
  | 'outcomes.issueStatement'
  | 'outcomes.attribution'
  | 'outcomes.disputes'
  | 'outcomes.disputeOpen'
  | 'outcomes.disputeUphold'
  | 'outcomes.disputeReject';

export function outcomeHandlers(ctx: CoreContext): FeatureHandlers<OutcomeMethod> {
  const changed = <T>(value: T): T => {
    emitLedgerChanged(ctx);
    return value;
  };
  // One verification job at a time: a second request while one runs shares its result (its as-of is the first's).
  let job: Promise<VerificationReport> | null = null;
  // Set by outcomes.cancelVerify; the running job reads it before each batch.
  let cancelRequested = false;
  let cancelThread: (() => void) | null = null;
  const onProgress = (progress: VerificationProgress): void => ctx.emit('outcomes.progress', progress);
  // What the last verification remembered, handed to the next (verification-memory.ts): kept here when the job runs on
  // this thread, as the job's thread packed it when it runs in one. A job that fails leaves none: the next reads all.
  let memory: VerificationMemory | null = null;
  let packedMemory: PackedVerificationMemory | null = null;
  /**
   * In a thread of its own when the file allows (job-thread.ts): the console's thread then only grants its
   * write turns. An in-memory database, or a team replica whose writes must be captured on its own connection, runs
   * it here, a batch of about JOB_SLICE_MS at a time.
   */
  const start = (asOf: string | undefined): Promise<VerificationReport> => {
    if (!jobsRunInThreads(ctx.dbPath, ctx.writes)) {
      const kept = memory ?? emptyVerificationMemory();
      memory = null;
      return runVerificationJob(ctx.db, asOf, onProgress, { write: ctx.writes.turnOn(ctx.db), cancelled: () => cancelRequested, memory: kept }).then((report) => {
        memory = kept;
        return report;
      });
    }
    const nowMs = Date.now();
    // Checked here, so a bad as-of is refused as the caller's input before any thread starts.
    const job = { kind: 'verification' as const, asOf: resolveAsOf(asOf, nowMs).iso, nowMs, ...(packedMemory ? { memory: packedMemory } : {}) };
    packedMemory = null;
    const thread = new JobThread<VerificationProgress, VerificationReport>(ctx.dbPath, job, ctx.writes, 'outcome verification', onProgress);
    cancelThread = () => thread.cancel();
    if (cancelRequested) thread.cancel();
    return thread.report.then((report) => {
      packedMemory = thread.verificationMemory;
      return report;
    });
  };
  const verify = (asOf: string | undefined): Promise<VerificationReport> => {
    if (job) return job;
    cancelRequested = false;
    cancelThread = null;
    job = Promise.resolve()
      .then(() => start(asOf))
      .then((report) => (report.verifiedAdded + report.reversedAdded + report.discrepanciesAdded > 0 ? changed(report) : report))
      .finally(() => {
        job = null;
      });
    return job;
  };
  const decideSigned = (input: { dispute: number; reason: string; signature?: SignatureInput }, decision: 'upheld' | 'rejected', caller: Caller): Promise<DisputeRow> =>
    runSigned(ctx.db, ctx.writes.turnOn(ctx.db), caller, input.signature, 'dispute decision', () => {
      const row = decideDispute(ctx.db, input.dispute, decision, input.reason, caller.actor);
      return { value: row, signed: row.decisionSeq, needsSignature: true };
    });
  return {
    handlers: {
      'outcomes.contracts': (): ContractVersionRow[] =>
        new OutcomeRepository(ctx.db).contractVersions().map(({ contract, seq, at }) => ({
          id: contract.id,
          version: contract.version,
          effectiveFrom: contract.effectiveFrom,
          timezone: contract.timezone,
          currency: contract.currency,
          price: formatMinor(priceMinor(contract), currencyDigits(contract.currency)!),
          categories: contract.categories,
          criteria: { ...contract.criteria, minCsat: contract.criteria.minCsat ?? null },
          clawbackDays: contract.clawbackDays,
          seq,
          importedAt: at,
        })),
      'outcomes.verify': (input) => verify(input.asOf),
      'outcomes.cancelVerify': () => {
        if (job) {
          cancelRequested = true;
          cancelThread?.();
        }
        return { cancelled: job !== null };
      },
      'outcomes.explain': (input) => {
        try {
          return explainTicket(ctx.db, input.ticket, { contract: input.contract, asOf: input.asOf });
        } catch (error) {
          if (error instanceof TicketNotFoundError) throw new NotFoundError(error.message);
          throw error;
        }
      },
      // The Outcomes tab's reads walk every outcome event of the contract: on the read threads (read-thread.ts).
      'outcomes.periods': (input) => readOffThread(ctx.db, ctx.dbPath, 'outcomes.periods', { contract: input.contract }),
      // Counts every billed outcome of the period and re-checks each: on a read thread (read-thread.ts).
      'outcomes.statement': (input) => readOffThread(ctx.db, ctx.dbPath, 'outcomes.statement', { period: input.period, contract: input.contract }),
      'outcomes.statementPdf': async (input) => {
        // One snapshot: the statement and the ledger it rests on (an issue, or the head and its root).
        const { statement, context } = ctx.db.transaction(() => {
          const document = statementDocument(ctx.db, input.period, input.contract);
          return { statement: document.statement, context: statementPdfContext(ctx.db, document) };
        })();
        const pdf = await statementPdf(statement, context);
        return { fileName: `statement-${statement.contract.id}-${statement.period}.pdf`, base64: pdf.toString('base64') };
      },
      'outcomes.periodStates': (input) => readOffThread(ctx.db, ctx.dbPath, 'outcomes.periodStates', { contract: input.contract }),
      // Issuing closes the period: checkpoint, statement.issued and (with accounts) its signature in one transaction.
      'outcomes.issueStatement': async (input, caller) => {
        if (input.signature && input.signature.meaning !== 'approved') throw new InputError('signature.meaning: issuing a statement is signed with the meaning "approved"');
        return changed(
          await runSigned(ctx.db, ctx.writes.turnOn(ctx.db), caller, input.signature, `issue of the ${input.period} statement`, () => {
            const issued = issueStatement(ctx.db, { period: input.period, contract: input.contract, key: ctx.installationKey(), actor: caller.actor });
            return { value: issued, signed: issued.seq, needsSignature: true };
          }),
        );
      },
      // Dry-evaluates every ticket in scope: on a thread of its own, so the console keeps answering meanwhile.
      'outcomes.attribution': (input) => readOffThread(ctx.db, ctx.dbPath, 'outcomes.attribution', { period: input.period, contract: input.contract, asOf: input.asOf }),
      'outcomes.disputes': () => readOffThread(ctx.db, ctx.dbPath, 'outcomes.disputes', {}),
      'outcomes.disputeOpen': (input, caller) => changed(openDisputeOn(ctx.db, input.ticket, input.reason, caller.actor, { contract: input.contract })),
      // A dispute decision is signed once the ledger has accounts: the decision and its signature in one transaction.
      'outcomes.disputeUphold': async (input, caller) => changed(await decideSigned(input, 'upheld', caller)),
      'outcomes.disputeReject': async (input, caller) => changed(await decideSigned(input, 'rejected', caller)),
    },
  };
}
