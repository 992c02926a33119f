// The ROI calculator as a PDF report: result, inputs, ±20% sensitivity and the formula, amounts in the report's
// currency, in the shared frame.
import { computeRoi, ROI_FORMULA, roiSensitivity, type RoiInputs } from '../../../shared/contracts/kpis.ts';
import { formatCount, formatDecimal, formatPercent } from '../../../shared/format.ts';
import { kpiMoney } from '../../../shared/kpi-figures.ts';
import { contentWidth, frameHeader, MARGIN, newReport, numberPages, sectionTitle, signatureBlock, table, type LedgerBasis } from '../reports/report-document.ts';
import { amountsIn, type DocumentCurrency, commonFacts, createdAt, issuerOf } from './kpi-document-frame.ts';
import type { ExportQuery } from './kpi-export.ts';
import { ROI_INPUT_LABELS, ROI_RESULT_LABELS, type RoiInputFigure } from './kpi-labels.ts';

export async function roiPdf(basis: LedgerBasis, q: ExportQuery, document: DocumentCurrency): Promise<Buffer> {
  const currency = document.currency;
  if (!q.roi) throw new Error('roi: the ROI export needs the calculator inputs');
  const inputs: RoiInputs = q.roi;
  const title = `ROI ${q.from} to ${q.to}`;
  const { doc, bytes } = await newReport({ title, subject: 'Return on investment', createdAt: createdAt(basis, q) });
  frameHeader(doc, { issuer: issuerOf(q), title, facts: [...commonFacts(basis, q), ['Amounts', amountsIn(document)]] });
  const shown = (unit: string, v: number | null): string =>
    v === null ? '—' : unit === 'CURRENCY' ? kpiMoney(v, currency) : unit === '%' ? formatPercent(v) : unit === '×' ? `${formatDecimal(v, 2)}×` : unit === 'count' ? formatCount(v) : `${formatDecimal(v, 2)}${unit === 'months' ? ' months' : ''}`;
  const result = computeRoi(inputs);
  sectionTitle(doc, 'Result');
  table(doc, [{ title: 'Result', width: 250 }, { title: 'Value', width: 120, align: 'right' }], (Object.keys(ROI_RESULT_LABELS) as (keyof typeof ROI_RESULT_LABELS)[]).map((key) => [ROI_RESULT_LABELS[key][0], shown(ROI_RESULT_LABELS[key][1], result[key])]), { size: 8.5, bold: (i) => i === 0 });
  sectionTitle(doc, 'Inputs');
  table(doc, [{ title: 'Input', width: 250 }, { title: 'Value', width: 120, align: 'right' }], (Object.keys(ROI_INPUT_LABELS) as RoiInputFigure[]).map((key) => [ROI_INPUT_LABELS[key][0], shown(ROI_INPUT_LABELS[key][1], inputs[key])]), { size: 8.5 });
  sectionTitle(doc, 'Sensitivity: ROI with each input 20% lower and higher');
  table(
    doc,
    [{ title: 'Input', width: 250 }, { title: '−20%', width: 80, align: 'right' }, { title: '+20%', width: 80, align: 'right' }],
    roiSensitivity(inputs).map((s) => [ROI_INPUT_LABELS[s.input as RoiInputFigure][0], shown('×', s.low), shown('×', s.high)]),
    { size: 8.5 },
  );
  sectionTitle(doc, 'Formula');
  doc.font('Helvetica').fontSize(8).text(ROI_FORMULA, MARGIN, doc.y, { width: contentWidth(doc) });
  signatureBlock(doc, [], { empty: 'No electronic signatures: the inputs are the calculator\'s as entered.', signOff: ['Prepared by', 'Reviewed by'] });
  numberPages(doc, title);
  doc.end();
  return bytes;
}
