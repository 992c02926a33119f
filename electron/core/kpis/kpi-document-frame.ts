// What every KPI PDF report shares: the currency of its amounts, the issuer, the frame facts (period, computed as
// of, ledger head and checkpoint, baseline), the document date (the ledger head's, never the clock), the baseline's
// signatures, and the KPI definitions.
import { DateTime } from 'luxon';
import { KPI_DEFINITIONS, type BaselineRow } from '../../../shared/contracts/kpis.ts';
import { formatInstant } from '../../../shared/format.ts';
import type { Db } from '../db/connection.ts';
import { moneyCurrency } from './kpi-money.ts';
import { kpiReport } from './kpi-report.ts';
import { contentWidth, ensureSpace, ledgerFacts, MARGIN, sectionTitle, type LedgerBasis, type PrintedSignature } from '../reports/report-document.ts';
import type { ExportQuery } from './kpi-export.ts';

/** The currency a KPI document's amounts are in, or why it shows none (two currencies, no contract…). */
export interface DocumentCurrency {
  currency: string | null;
  reason: string | null;
}

/**
 * The currency KPI amounts are in — the KPIs' one rule (kpi-money.ts), read as the console reads it: the selection's
 * own report for the overview (its verified outcomes' currency, else the one contract's); for the ROI calculator the
 * contract's, which its own currency must match (another one is refused).
 */
export function kpiCurrency(db: Db, q: Pick<ExportQuery, 'view' | 'from' | 'to' | 'category' | 'roi'>): DocumentCurrency {
  if (q.view === 'overview') {
    const report = kpiReport(db, { from: q.from, to: q.to, category: q.category });
    return { currency: report.currency ?? null, reason: report.currency ? null : (report.notes.money ?? 'no currency names these amounts') };
  }
  const money = moneyCurrency(db, new Set(), q.roi?.currency ?? undefined);
  return money.currency === null ? { currency: null, reason: money.reason } : { currency: money.currency, reason: null };
}

/** How a report names the currency of its amounts, or says plainly why none is shown. */
export const amountsIn = (currency: DocumentCurrency): string => (currency.currency ? `in ${currency.currency}` : `not shown: ${currency.reason ?? 'no currency'}`);

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
