// What every KPI PDF report shares: the currency of its amounts, the issuer, the frame facts (period, computed as
// of, ledger head and checkpoint, baseline), the document date (the ledger head's, never the clock), the baseline's
// signatures, and the KPI definitions.
import { DateTime } from 'luxon';
import { KPI_DEFINITIONS, type BaselineRow } from '../../../shared/contracts/kpis.ts';
import { formatInstant } from '../../../shared/format.ts';
import type { Db } from '../db/connection.ts';
import { moneyCurrency } from './kpi-money.ts';
import { contentWidth, ensureSpace, ledgerFacts, MARGIN, sectionTitle, type LedgerBasis, type PrintedSignature } from '../reports/report-document.ts';
import type { ExportQuery } from './kpi-export.ts';

/**
 * The currency KPI amounts are in — the KPIs' one rule (kpi-money.ts): the outcome contract's; a requested currency
 * (the ROI calculator's) must be it and is refused otherwise. Null when the ledger names none: no amount is printed.
 */
export function kpiCurrency(db: Db, requested?: string | null): string | null {
  return moneyCurrency(db, new Set(), requested ?? undefined).currency;
}

/** How a report names the currency of its amounts. */
export const amountsIn = (currency: string | null): string => (currency ? `in ${currency}` : 'not shown: the ledger has no outcome contract to name their currency');

export const issuerOf = (q: ExportQuery): string => q.issuer?.trim() || 'the operator of this Attest ledger (organization name not set)';

/** The frame facts every KPI document shares: period, as of, ledger head and checkpoint. */
export function commonFacts(basis: LedgerBasis, q: ExportQuery): [string, string][] {
  return [
    ['Period', `tickets created ${q.from} to ${q.to} (whole days in UTC; "to" included)`],
    ['Computed as of', basis.head.at ? formatInstant(basis.head.at) : 'an empty ledger'],
    ...ledgerFacts(basis),
  ];
}

export function baselineFact(baseline: BaselineRow | null): [string, string] {
  if (!baseline) return ['Baseline', 'none frozen: no change against a baseline can be shown'];
  return [
    'Baseline',
    `"${baseline.name}", tickets created ${baseline.from} to ${baseline.to}, frozen ${formatInstant(baseline.frozenAt)} by ${baseline.frozenBy} (event #${baseline.seq})${baseline.definitionsMatch ? '' : ' — the KPI definitions changed since it was frozen'}`,
  ];
}

/** Dated by the ledger head (never the clock); an empty ledger by the period's end. */
export function createdAt(basis: LedgerBasis, q: ExportQuery): Date {
  if (basis.head.at) return new Date(basis.head.at);
  return DateTime.fromISO(q.to, { zone: 'utc' }).endOf('day').toJSDate();
}

export function baselineSignatures(baseline: BaselineRow | null): PrintedSignature[] {
  return (baseline?.signatures ?? []).map((s) => ({
    name: s.display,
    at: s.at,
    meaning: s.meaning,
    reason: s.reason,
    signs: `the freeze of baseline "${baseline!.name}" (#${s.signedSeq}, ${s.signedType || 'missing event'}) hash ${s.signedHash}`,
    valid: s.valid,
  }));
}

/** The KPI definitions, in the words of KPI_DEFINITIONS (the console's tooltips and the README). */
export function definitionsSection(doc: PDFKit.PDFDocument): void {
  sectionTitle(doc, 'KPI definitions');
  for (const d of KPI_DEFINITIONS) {
    ensureSpace(doc, 24);
    doc.font('Helvetica-Bold').fontSize(8).text(`${d.label}: `, MARGIN, doc.y, { width: contentWidth(doc), continued: true }).font('Helvetica').text(d.definition);
    doc.moveDown(0.25);
  }
}
