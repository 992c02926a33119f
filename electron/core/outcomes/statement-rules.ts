// The rule book of `statement.issued`: an issued statement is what it says it is, on every append path. Its SHA-256
// is that of its document, its totals are the document's, it names the checkpoint it was computed under (the event
// just before it), its period has ended, and a contract's periods are issued once each, in order.
import type { AppendingEvent } from '../ledger/event-types/types.ts';
import type { LedgerReader } from '../ledger/ledger-reader.ts';
import { LineError } from '../ledger/line-error.ts';
import type { Statement } from '../../../shared/contracts/outcomes.ts';
import { periodEndMs } from './statement.ts';
import { statementSha256, statementTotals } from './issued-statements.ts';
import { canonicalJson } from '../ledger/hashing.ts';
import type { IssuedStatementPayload } from './outcome-repository.ts';

function parsedDocument(text: string): Statement {
  try {
    return JSON.parse(text) as Statement;
  } catch {
    throw new LineError('document', 'is not the JSON text of a statement');
  }
}

export function statementIssuedRule(event: AppendingEvent, ledger: LedgerReader): void {
  const payload = event.payload as unknown as IssuedStatementPayload;
  const document = parsedDocument(payload.document);
  if (document.period !== payload.period || document.contract?.id !== payload.contract) {
    throw new LineError('document', `is the statement of ${document.contract?.id} ${document.period}, not of ${payload.contract} ${payload.period}`);
  }
  if (statementSha256(payload.document) !== payload.sha256) throw new LineError('sha256', 'is not the SHA-256 of the document’s canonical JSON');
  if (canonicalJson(statementTotals(document)) !== canonicalJson(payload.totals)) throw new LineError('totals', 'differ from the document’s totals');
  const end = periodEndMs(payload.period, document.contract.timezone);
  if (Date.parse(event.at) < end) throw new LineError('period', `${payload.period} has not ended at ${event.at}; a statement is issued after its period`);
  const checkpoint = ledger.bySeq(payload.checkpoint.seq);
  const stated = checkpoint?.payload as { treeSize?: number; rootHash?: string } | undefined;
  if (checkpoint?.type !== 'checkpoint' || stated?.treeSize !== payload.checkpoint.treeSize || stated.rootHash !== payload.checkpoint.rootHash || payload.checkpoint.treeSize !== payload.checkpoint.seq - 1) {
    throw new LineError('checkpoint', `names no checkpoint event #${payload.checkpoint.seq} of size ${payload.checkpoint.treeSize} with that root`);
  }
  const earlier = ledger
    .ledgerWide('statement.issued')
    .map((e) => e.payload as unknown as IssuedStatementPayload)
    .filter((p) => p.contract === payload.contract);
  if (earlier.some((p) => p.period === payload.period)) throw new LineError('period', `${payload.contract} ${payload.period} is already issued; an issued statement never changes`);
  const last = earlier.map((p) => p.period).sort().at(-1);
  if (last && payload.period < last) throw new LineError('period', `${payload.contract} ${last} is already issued; periods are issued in order`);
}
