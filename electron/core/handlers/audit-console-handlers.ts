// The auditor screen's methods: reads of checkpoints, signatures, samples and notes; review notes as events; the
// files an auditor carries away (a receipt, a pack). Chain verification itself is the chain monitor's (ledger.verify).
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { auditNotes, recordAuditNote } from '../audit/audit-notes.ts';
import { drawSample } from '../audit/sample.ts';
import { storedCheckpoints } from '../audit/stored-checkpoints.ts';
import { userDataDir } from '../checkpoints/installation-key.ts';
import { InputError } from '../errors.ts';
import { LineError } from '../ledger/line-error.ts';
import { allSignatures } from '../people/signatures.ts';
import { buildReceipt, receiptNeedsCheckpoint } from '../audit/receipt.ts';
import { writePack, type PackSummary } from '../audit/pack.ts';
import { JobThread, jobsRunInThreads } from './job-thread.ts';
import { recordCheckpoint } from '../checkpoints/record-checkpoint.ts';
import { recordEvents } from '../derived/record-events.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import type { Caller, CoreContext, FeatureHandlers } from './context.ts';
import { emitLedgerChanged } from './ledger-changed.ts';

type AuditConsoleMethod =
  | 'audit.checkpoints'
  | 'audit.sample'
  | 'audit.note'
  | 'audit.notes'
  | 'audit.signatures'
  | 'audit.receipt'
  | 'audit.exportPack';

/** A new, empty folder for one pack: <user data>/packs/<UTC time>, e.g. packs/2026-11-30T09-15-02Z. */
export function newPackDir(now: Date = new Date(), root: string = join(userDataDir(), 'packs')): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  let dir = join(root, stamp);
  for (let n = 2; existsSync(dir); n++) dir = join(root, `${stamp}-${n}`);
  mkdirSync(root, { recursive: true });
  return dir;
}

export function auditConsoleHandlers(ctx: CoreContext): FeatureHandlers<AuditConsoleMethod> {
  /**
   * With accounts, a file handed out is in the access log as `access.export` — recorded before the file is made, as
   * `attest receipt` and `attest export --pack` do, so a pack holds its own access record. Single-user mode: nobody to name.
   */
  const recordExportAccess = async (caller: Caller, what: string, file?: string): Promise<void> => {
    const person = caller.person;
    if (!person) return;
    await ctx.writes.write(ctx.db, `access record of the ${what}`, () => {
      const at = new Date().toISOString();
      const headSeq = new LedgerRepository(ctx.db).lastEvent().seq;
      recordEvents(ctx.db, [{ type: 'access.export', at, actor: caller.actor, account: person.account, via: caller.via, what, ...(file ? { file } : {}), headSeq }], at);
    });
    emitLedgerChanged(ctx);
  };
  return {
    handlers: {
      'audit.checkpoints': () => storedCheckpoints(ctx.db),
      'audit.sample': (input) => drawSample(ctx.db, input),
      // One write turn (service.ts SYNC_WRITES); the rule book's refusal (not a person, unknown ticket) is the caller's to fix.
      'audit.note': (input, caller) => {
        try {
          const note = recordAuditNote(ctx.db, input, caller.actor);
          emitLedgerChanged(ctx);
          return note;
        } catch (error) {
          if (error instanceof LineError) throw new InputError(error.message);
          throw error;
        }
      },
      'audit.notes': (input) => auditNotes(ctx.db, input.period),
      'audit.signatures': () => allSignatures(ctx.db),
      'audit.receipt': async (input, caller) => {
        // Refused (no verified outcome) before anything is recorded.
        const needsCheckpoint = receiptNeedsCheckpoint(ctx.db, input.ticket, input.contract);
        await recordExportAccess(caller, `receipt ${input.ticket}`);
        // No stored checkpoint covers the receipt's events yet: one of the head is signed first (a write, in its turn).
        if (needsCheckpoint) {
          await ctx.writes.write(ctx.db, `checkpoint for the receipt of ${input.ticket}`, () => recordCheckpoint(ctx.db, ctx.installationKey()));
          emitLedgerChanged(ctx);
        }
        // One snapshot, so the proofs and the checkpoint agree.
        const receipt = ctx.db.transaction(() => buildReceipt(ctx.db, input.ticket, input.contract))();
        return { fileName: `${input.ticket}.receipt.json`, text: JSON.stringify(receipt, null, 2) + '\n' };
      },
      'audit.exportPack': async (input, caller) => {
        // A pack is never made of a ledger that does not verify: the console's verifier re-reads it all first.
        const verified = await ctx.chain.verifyNow();
        if (verified.state !== 'verified') {
          const finding = verified.status?.problems[0];
          throw new InputError(`refusing to pack a ledger that does not verify: ${finding ? finding.message : (verified.error ?? verified.state)}`);
        }
        const dir = newPackDir();
        await recordExportAccess(caller, `pack ${dir}`, dir);
        // Exporting every event and hashing every file takes minutes at a million tickets: in a thread of its own
        // where the file allows (job-thread.ts), its checkpoint still one turn of the console's write gate.
        const summary = jobsRunInThreads(ctx.dbPath, ctx.writes)
          ? await new JobThread<never, PackSummary>(ctx.dbPath, { kind: 'pack', dir, period: input.period, contract: input.contract, signer: ctx.installationKey() }, ctx.writes, 'auditor pack', () => undefined).report
          : await writePack(ctx.db, dir, {
              key: ctx.installationKey(),
              period: input.period,
              contract: input.contract,
              write: (work) => ctx.writes.write(ctx.db, 'checkpoint of the pack', work),
            });
        emitLedgerChanged(ctx);
        return { dir: summary.dir, files: summary.files, treeSize: summary.treeSize, statements: summary.statements.length, missing: summary.missing };
      },
    },
  };
}
