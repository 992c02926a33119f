// Charts drawn as vector graphics in a pdfkit document: axes with ticks and labels, grid lines, line series
// (broken where a week has no value), bars, dashed reference lines and a legend. Each chart carries its title and
// units, so a printed page reads without the console.
import { MUTED } from './report-document.ts';

export interface ChartSeries {
  name: string;
  color: string;
  values: readonly (number | null)[];
}

export interface ChartBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartOptions {
  title: string;
  /** Labels of the x positions (weeks), in order. */
  labels: readonly string[];
  series: readonly ChartSeries[];
  /** The value axis: its range and how a tick reads ("40%", "3.5", "12 min"). */
  domain: readonly [number, number];
  tick: (value: number) => string;
  /** Intervals between value ticks (default 5). */
  ticks?: number;
  /** Dashed horizontal lines, e.g. the baseline. */
  references?: readonly { value: number; label: string; color: string }[];
  kind?: 'line' | 'bar';
}

const AXIS = '#555555';
const GRID = '#dddddd';
const TITLE_HEIGHT = 16;
const LEGEND_HEIGHT = 14;
const X_LABEL_HEIGHT = 14;
const Y_LABEL_WIDTH = 40;

/** A domain that holds every value with a little room, starting at zero for counts and rates. */
export function niceDomain(values: readonly (number | null)[], floor?: number, ceiling?: number): [number, number] {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const low = floor ?? (present.length ? Math.min(...present) : 0);
  let high = ceiling ?? (present.length ? Math.max(...present) : 1);
  if (high <= low) high = low + 1;
  if (ceiling === undefined) {
    // Round the top up to 1, 2 or 5 × a power of ten so the ticks fall on round numbers.
    const span = high - low;
    const step = 10 ** Math.floor(Math.log10(span / 4));
    const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 5) ?? span / 4;
    high = low + Math.ceil(span / nice) * nice;
  }
  return [low, high];
}

/** Draws a chart into `box` (points, top-left origin); nothing outside it. */
export function drawChart(doc: PDFKit.PDFDocument, box: ChartBox, options: ChartOptions): void {
  const { labels, series, domain } = options;
  const plot = {
    left: box.x + Y_LABEL_WIDTH,
    top: box.y + TITLE_HEIGHT,
    width: box.width - Y_LABEL_WIDTH - 6,
    height: box.height - TITLE_HEIGHT - X_LABEL_HEIGHT - LEGEND_HEIGHT,
  };
  const [low, high] = domain;
  const yOf = (value: number): number => plot.top + plot.height - ((Math.min(high, Math.max(low, value)) - low) / (high - low)) * plot.height;
  const slot = plot.width / Math.max(1, labels.length);
  const xOf = (index: number): number => plot.left + slot * (index + 0.5);

  doc.save();
  doc.font('Helvetica-Bold').fontSize(8.5).fillColor('#000000').text(options.title, box.x, box.y, { width: box.width, lineBreak: false });

  // Grid and value ticks.
  const ticks = options.ticks ?? 5;
  doc.font('Helvetica').fontSize(6.5);
  for (let i = 0; i <= ticks; i++) {
    const value = low + ((high - low) * i) / ticks;
    const y = yOf(value);
    doc.moveTo(plot.left, y).lineTo(plot.left + plot.width, y).lineWidth(0.4).strokeColor(GRID).stroke();
    doc.fillColor(MUTED).text(options.tick(value), box.x, y - 3, { width: Y_LABEL_WIDTH - 4, align: 'right', lineBreak: false });
  }
  // Axes.
  doc.moveTo(plot.left, plot.top).lineTo(plot.left, plot.top + plot.height).lineTo(plot.left + plot.width, plot.top + plot.height).lineWidth(0.8).strokeColor(AXIS).stroke();

  // Week labels: as many as fit without overlapping (every k-th), always the first and the last.
  const every = Math.max(1, Math.ceil(labels.length / Math.max(1, Math.floor(plot.width / 44))));
  labels.forEach((label, i) => {
    if (i % every !== 0 && i !== labels.length - 1) return;
    if (i === labels.length - 1 && i % every !== 0 && i - Math.floor(i / every) * every < every / 2) return;
    const x = xOf(i);
    doc.moveTo(x, plot.top + plot.height).lineTo(x, plot.top + plot.height + 2.5).lineWidth(0.6).strokeColor(AXIS).stroke();
    doc.fillColor(MUTED).text(label, x - 22, plot.top + plot.height + 4, { width: 44, align: 'center', lineBreak: false });
  });

  if (options.kind === 'bar') {
    const barWidth = Math.max(1.5, (slot * 0.7) / Math.max(1, series.length));
    series.forEach((s, k) => {
      s.values.forEach((value, i) => {
        if (value === null) return;
        const top = yOf(value);
        const x = xOf(i) - (barWidth * series.length) / 2 + k * barWidth;
        doc.rect(x, top, barWidth, plot.top + plot.height - top).fillColor(s.color).fill();
      });
    });
  } else {
    for (const s of series) {
      // One path per run of weeks with values; a lone week gets a dot.
      let run: [number, number][] = [];
      const flush = (): void => {
        if (run.length === 1) doc.circle(run[0]![0], run[0]![1], 1.6).fillColor(s.color).fill();
        else if (run.length > 1) {
          doc.moveTo(run[0]![0], run[0]![1]);
          for (const [x, y] of run.slice(1)) doc.lineTo(x, y);
          doc.lineWidth(1.4).strokeColor(s.color).stroke();
        }
        run = [];
      };
      s.values.forEach((value, i) => {
        if (value === null) flush();
        else run.push([xOf(i), yOf(value)]);
      });
      flush();
    }
  }

  for (const reference of options.references ?? []) {
    if (reference.value < low || reference.value > high) continue;
    const y = yOf(reference.value);
    doc.moveTo(plot.left, y).lineTo(plot.left + plot.width, y).lineWidth(0.9).dash(4, { space: 3 }).strokeColor(reference.color).stroke().undash();
    doc.font('Helvetica').fontSize(6).fillColor(reference.color).text(reference.label, plot.left + plot.width - 120, y - 8, { width: 118, align: 'right', lineBreak: false });
  }

  // Legend under the axis: a swatch and the series name; references as dashed swatches.
  let x = plot.left;
  const legendY = box.y + box.height - LEGEND_HEIGHT + 4;
  doc.font('Helvetica').fontSize(7);
  for (const s of series) {
    doc.rect(x, legendY + 1, 10, 4).fillColor(s.color).fill();
    doc.fillColor('#000000').text(s.name, x + 13, legendY - 1, { lineBreak: false });
    x += 13 + doc.widthOfString(s.name) + 12;
  }
  for (const reference of options.references ?? []) {
    doc.moveTo(x, legendY + 3).lineTo(x + 10, legendY + 3).lineWidth(0.9).dash(2, { space: 1.5 }).strokeColor(reference.color).stroke().undash();
    doc.fillColor('#000000').text(reference.label, x + 13, legendY - 1, { lineBreak: false });
    x += 13 + doc.widthOfString(reference.label) + 12;
  }
  doc.restore();
}
