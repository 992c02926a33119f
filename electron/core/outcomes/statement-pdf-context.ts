// What a statement PDF says besides the statement: who issues it, the ledger head and checkpoint it was computed
// under and, for an issued period, who issued it (the `statement.issued` event and its electronic signature) and the
// document's SHA-256.
import type { Db } from '../db/connection.ts';
import { signaturesOf } from '../people/signatures.ts';
import type { IssuedStatementEvent } from './outcome-repository.ts';
import type { StatementDocument } from './statement.ts';
import { ledgerRoot } from '../checkpoints/ledger-proofs.ts';
import { headAt } from '../reports/ledger-basis.ts';
import { organizationName } from '../organization/organization-settings.ts';
import type { StatementPdfContext } from './statement-pdf.ts';

/**
 * The context of an issued statement, from its `statement.issued` event: the head is the last event its signed
 * checkpoint covers. `issuer`: the organization name (the setting) as it stood when the period was issued; null: not set.
 */
export function issuedPdfContext(db: Db, issued: IssuedStatementEvent, issuer: string | null = organizationName(db, issued.seq)): StatementPdfContext {
  const signature = signaturesOf(db, [issued.seq]).find((s) => s.valid) ?? null;
  const { treeSize, rootHash } = issued.payload.checkpoint;
  return {
    issuer,
    head: treeSize > 0 ? headAt(db, treeSize) : null,
    basis: { treeSize, rootHash, signed: true },
    issued: {
      signer: signature?.display ?? issued.actor.name ?? issued.actor.id ?? issued.actor.kind,
      at: issued.at,
      meaning: signature?.meaning ?? null,
      reason: signature?.reason ?? null,
      signedAt: signature?.at ?? null,
      sha256: issued.payload.sha256,
      seq: issued.seq,
    },
  };
}

/**
 * What a statement's printout rests on: an issued period's issue, or for an open one the events it was computed
 * from (the head event, their number and RFC 9162 root; pass the root when it is known, else it is computed), so the
 * PDF names it.
 */
export function statementPdfContext(db: Db, document: StatementDocument, rootHash?: string, issuer?: string | null): StatementPdfContext {
  // The issuer is the organization name as the statement's events stood: an issued period keeps the name it was issued under.
  if (document.issued) return issuedPdfContext(db, document.issued, issuer === undefined ? organizationName(db, document.issued.seq) : issuer);
  issuer ??= organizationName(db, document.treeSize);
  if (document.treeSize === 0) return { issuer, head: null, basis: null, issued: null };
  return {
    issuer,
    head: headAt(db, document.treeSize),
    basis: { treeSize: document.treeSize, rootHash: rootHash ?? ledgerRoot(db, document.treeSize).toString('base64'), signed: false },
    issued: null,
  };
}
