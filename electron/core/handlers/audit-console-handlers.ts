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
import type { CoreContext, FeatureHandlers } from './context.ts';
import { emitLedgerChanged } from './ledger-changed.ts';

type AuditConsoleMethod = 'audit.checkpoints' | 'audit.sample' | 'audit.note' | 'audit.notes' | 'audit.signatures';

/** A new, empty folder for one pack: <user data>/packs/<UTC time>, e.g. packs/2026-11-30T09-15-02Z. */
export function newPackDir(now: Date = new Date(), root: string = join(userDataDir(), 'packs')): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  let dir = join(root, stamp);
  for (let n = 2; existsSync(dir); n++) dir = join(root, `${stamp}-${n}`);
  mkdirSync(root, { recursive: true });
  return dir;
}

export function auditConsoleHandlers(ctx: CoreContext): FeatureHandlers<AuditConsoleMethod> {
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
    },
  };
}
