// What a statement PDF says besides the statement: the checkpoint it was computed under and, for an issued period,
// who issued it (the `statement.issued` event and its electronic signature) and the document's SHA-256.
import type { Db } from '../db/connection.ts';
import { signaturesOf } from '../people/signatures.ts';
import { OutcomeRepository, type IssuedStatementEvent } from './outcome-repository.ts';
import { resolveContract } from './outcome-book.ts';
import { ledgerRoot } from '../checkpoints/ledger-proofs.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import type { StatementPdfContext } from './statement-pdf.ts';

/** The context of an issued statement, from its `statement.issued` event. */
export function issuedPdfContext(db: Db, issued: IssuedStatementEvent): StatementPdfContext {
  const signature = signaturesOf(db, [issued.seq]).find((s) => s.valid) ?? null;
  return {
    basis: { treeSize: issued.payload.checkpoint.treeSize, rootHash: issued.payload.checkpoint.rootHash },
    issued: {
      signer: signature?.display ?? issued.actor.name ?? issued.actor.id ?? issued.actor.kind,
      at: issued.at,
      meaning: signature?.meaning ?? null,
      reason: signature?.reason ?? null,
      sha256: issued.payload.sha256,
    },
  };
}

/**
 * The context of a period's statement as it is read now: an issued period's issue, or for an open one the ledger's
 * head it was computed from (its size and RFC 9162 root), so the printout names the ledger it rests on.
 */
export function statementPdfContextNow(db: Db, period: string, contractId?: string): StatementPdfContext {
  const repository = new OutcomeRepository(db);
  const contract = resolveContract(repository, contractId);
  const issued = repository.issuedStatements(contract.id).find((i) => i.payload.period === period);
  if (issued) return issuedPdfContext(db, issued);
  const treeSize = new LedgerRepository(db).lastEvent().seq;
  return { basis: { treeSize, rootHash: ledgerRoot(db, treeSize).toString('base64') }, issued: null };
}
