// Every figure traces both ways: a KPI opens its denominator with each ticket marked in or out of the numerator and
// why, pages through all of it, exports it whole; a chart's point opens that week; an evidence link lands on the
// event (scrolled into view and focused). Expected counts come from the CLI's `attest kpis` on the same ledger.
import { readFile } from 'node:fs/promises';
import { expect, runCli, test } from './fixtures.ts';
import { KpisPage } from './pages/KpisPage.ts';
import { TicketDetailPage } from './pages/TicketDetailPage.ts';

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;

interface Counts {
  resolved: number;
  fcr: number;
}

/** The KPI report's sums for a period, overall and per category, as `attest kpis --json` computes them (the figures the drill must match). */
async function cliCounts(db: string, from: string, to: string): Promise<Counts & { groups: Record<string, Counts> }> {
  const { stdout } = await runCli(['kpis', '--db', db, '--from', from, '--to', to, '--by', 'category', '--json']);
  const report = JSON.parse(stdout) as { counts: Counts; groups: Record<string, { counts: Counts }> };
  return { ...report.counts, groups: Object.fromEntries(Object.entries(report.groups).map(([category, group]) => [category, group.counts])) };
}

/** Splits a CSV record (RFC 4180 quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields;
}

test('FCR opens its numerator and denominator: marks and reasons, every page, the whole list as CSV; a week on the chart; evidence focused', async ({ page, serverUrl, demoDb }, testInfo) => {
  const kpis = new KpisPage(page);
  await page.goto(serverUrl);
  await kpis.open();
  const { from, to } = await kpis.period();
  // The chart's third week: the Monday two weeks after the one the period starts in.
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  const monday = new Date(fromMs - ((new Date(fromMs).getUTCDay() + 6) % 7) * DAY_MS + 14 * DAY_MS).toISOString().slice(0, 10);
  const sunday = new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * DAY_MS).toISOString().slice(0, 10);
  // The CLI computes the expected figures while the console is driven.
  const [expected, week] = await Promise.all([cliCounts(demoDb, from, to), cliCounts(demoDb, monday, sunday)]);

  await test.step('the FCR figure lists every resolved ticket, the first-contact ones marked, the others with why', async () => {
    await kpis.openFigure('fcr');
    await expect(kpis.drillHeading).toHaveText('First-contact resolution');
    await expect(kpis.drillHeading).toBeFocused();
    await expect(kpis.numerator).toHaveText(expected.fcr.toLocaleString('en-US'));
    await expect(kpis.denominator).toHaveText(expected.resolved.toLocaleString('en-US'));
    expect(expected.resolved, 'the demo period needs more than two pages of resolved tickets').toBeGreaterThan(2 * PAGE_SIZE);
    const first = await kpis.rows();
    expect(first).toHaveLength(PAGE_SIZE);
    // The numerator's tickets come first; each says why it counts.
    expect(first[0]!.counts).toBe(true);
    expect(first[0]!.why).toMatch(/after one public agent reply .*, never reopened$/);
    await expect(kpis.drillRange).toHaveText(`1–${PAGE_SIZE} of ${expected.resolved.toLocaleString('en-US')} (counted first, then newest first)`);
    await page.screenshot({ path: testInfo.outputPath('drill-fcr.png'), fullPage: true });
  });

  await test.step('the tickets out of the numerator each say why: a reopen or more than one public reply', async () => {
    await kpis.showOnly('not_counted').click();
    await expect(kpis.drillRange).toHaveText(new RegExp(`of ${(expected.resolved - expected.fcr).toLocaleString('en-US')} `));
    const rest = await kpis.rows();
    expect(rest.length).toBe(Math.min(PAGE_SIZE, expected.resolved - expected.fcr));
    for (const row of rest) {
      expect(row.counts).toBe(false);
      expect(row.why).toMatch(/reopened \d{4}-\d\d-\d\d \d\d:\d\d UTC \(#\d+\)|\d+ public agent replies, the second|no public agent reply/);
    }
    await kpis.showOnly('all').click();
    await expect(kpis.drillRange).toHaveText(new RegExp(`^1–${PAGE_SIZE} of ${expected.resolved.toLocaleString('en-US')} `));
  });

  await test.step('paging reaches every ticket once', async () => {
    const seen = new Set((await kpis.rows()).map((row) => row.ticket));
    let counted = (await kpis.rows()).filter((row) => row.counts).length;
    await kpis.nextPage.click();
    await expect(kpis.drillRange).toHaveText(new RegExp(`^${PAGE_SIZE + 1}–${2 * PAGE_SIZE} of `));
    for (;;) {
      const rows = await kpis.rows();
      for (const row of rows) {
        expect(seen.has(row.ticket), `${row.ticket} on two pages`).toBe(false);
        seen.add(row.ticket);
      }
      counted += rows.filter((row) => row.counts).length;
      if (await kpis.nextPage.isDisabled()) break;
      const range = await kpis.drillRange.textContent();
      await kpis.nextPage.click();
      await expect(kpis.drillRange).not.toHaveText(range!);
    }
    expect(seen.size).toBe(expected.resolved);
    expect(counted).toBe(expected.fcr);
    await kpis.previousPage.click();
    await expect(kpis.previousPage).toBeEnabled();
  });

  await test.step('the CSV export holds the whole denominator, the numerator marked', async () => {
    const download = await kpis.exportCsv();
    const text = await readFile((await download.path())!, 'utf8');
    const [header, ...lines] = text.trimEnd().split('\r\n');
    expect(csvFields(header!)).toEqual(['Ticket', 'Subject', 'Category', 'Channel', 'Created (UTC)', 'Actor', 'In numerator', 'Excluded', 'Why', 'Evidence events (ledger seq)']);
    const records = lines.map(csvFields);
    expect(records).toHaveLength(expected.resolved);
    expect(records.filter((r) => r[6] === 'yes')).toHaveLength(expected.fcr);
    expect(records.filter((r) => r[6] === 'no')).toHaveLength(expected.resolved - expected.fcr);
    expect(new Set(records.map((r) => r[0])).size).toBe(expected.resolved);
  });

  await test.step("a point on the weekly chart opens that week's tickets", async () => {
    const weeks = await kpis.weeks('kpis-trend-rates');
    expect(weeks[2]).toBe(monday);
    await kpis.clickPoint('kpis-trend-rates', monday, 'fcr');
    await expect(kpis.drillHeading).toHaveText(`First-contact resolution, week of ${monday}`);
    await expect(kpis.drillPeriod).toContainText(`tickets created ${monday} – ${sunday}`);
    await expect(kpis.numerator).toHaveText(week.fcr.toLocaleString('en-US'));
    await expect(kpis.denominator).toHaveText(week.resolved.toLocaleString('en-US'));
    await page.screenshot({ path: testInfo.outputPath('drill-week.png'), fullPage: true });
    // Without a pointer: the week picker beside the chart's title opens a week too.
    await kpis.pickWeek('kpis-trend-csat', weeks[3]!);
    await expect(kpis.drillHeading).toHaveText(`CSAT (share rated 4–5), week of ${weeks[3]}`);
  });

  await test.step("a pilot value on the migration board opens that category's tickets of its KPI", async () => {
    await kpis.showTab('board');
    await kpis.boardPilotValue('how_to', 'fcr').click();
    await expect(kpis.drillHeading).toHaveText('how_to: pilot FCR');
    await expect(kpis.numerator).toHaveText(expected.groups.how_to!.fcr.toLocaleString('en-US'));
    await expect(kpis.denominator).toHaveText(expected.groups.how_to!.resolved.toLocaleString('en-US'));
  });

  await test.step('an evidence link scrolls to the event and focuses it', async () => {
    const [row] = (await kpis.rows()).filter((r) => r.counts);
    await kpis.openTicket(row!.ticket);
    const detail = new TicketDetailPage(page);
    await expect(detail.root).toHaveAttribute('data-ticket-id', row!.ticket);
    const evidence = detail.root.locator('[data-testid="timeline-event"][data-evidence="true"]');
    // FCR's evidence: the one public reply and the solve.
    await expect(evidence).toHaveCount(2);
    await expect(evidence.first()).toBeFocused();
    await expect(evidence.first()).toBeInViewport();
    await page.screenshot({ path: testInfo.outputPath('drill-evidence.png') });
  });
});
