// Navigation (issue 14, item 4): the route in the URL fragment, Back / Forward, shared links, sortable columns,
// the SLA-state column and filter, the skip link and the tab order. All through page models.
import { expect, runCli, test } from './fixtures.ts';
import { ConsoleShell } from './pages/ConsoleShell.ts';
import { PeoplePage } from './pages/people-page.ts';
import { QueuePage } from './pages/QueuePage.ts';
import { SlaBoardPage } from './pages/SlaBoardPage.ts';
import { TicketDetailPage } from './pages/TicketDetailPage.ts';

const PRIORITY_ORDER = ['low', 'normal', 'high', 'urgent'];

test('Back and Forward move through views and the open ticket; a shared link restores filters, search, order and ticket', async ({ page, serverUrl }) => {
  const shell = new ConsoleShell(page);
  const queue = new QueuePage(page);
  const detail = new TicketDetailPage(page);
  await shell.open(serverUrl);
  await shell.expectView('queue');
  expect(shell.fragment()).toBe('#/queue');

  // Open a ticket, then two other views.
  const [ticket] = await queue.rowValues('data-ticket-id');
  await queue.selectTicket(ticket!);
  await expect(detail.root).toHaveAttribute('data-ticket-id', ticket!);
  expect(shell.fragment()).toBe(`#/queue?ticket=${ticket}`);
  const sla = new SlaBoardPage(page);
  await sla.show();
  expect(shell.fragment()).toBe('#/sla');
  // The weekly chart's data table: a week opens its breached tickets, as a click on the chart does.
  await sla.trendTableToggle.click();
  await expect(sla.trendTableToggle).toHaveAttribute('aria-expanded', 'true');
  await sla.trendWeeks.first().click();
  await expect(sla.drilldown).toContainText('breached');
  await new PeoplePage(page).open();
  expect(shell.fragment()).toBe('#/people');

  await shell.back();
  await shell.expectView('sla');
  await shell.back();
  await shell.expectView('queue');
  await expect(detail.root).toHaveAttribute('data-ticket-id', ticket!);
  await expect(queue.row(ticket!)).toHaveAttribute('aria-selected', 'true');
  await shell.back();
  await expect(detail.root).toHaveAttribute('data-ticket-id', '');
  await shell.forward();
  await expect(detail.root).toHaveAttribute('data-ticket-id', ticket!);
  await shell.forward();
  await shell.expectView('sla');

  // Filter, search, order and a ticket: the address says all of it, and opening that address restores it.
  await queue.show();
  await queue.filter('status', 'closed').check();
  await queue.filter('priority', 'high').check();
  await queue.sortBy('created');
  await expect(queue.sortHeader('created')).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => [...new Set(await queue.rowValues('data-priority'))]).toEqual(['high']);
  const closedHigh = await queue.settledTotal();
  const ids = await queue.rowValues('data-ticket-id');
  expect(ids.length).toBeGreaterThan(1);
  const word = (await queue.subjectOf(ids[1]!)).split(/\s+/).find((w) => /^[A-Za-z]{4,}$/.test(w))!;
  await queue.searchFor(word);
  await expect.poll(() => shell.fragment()).toContain(`q=${encodeURIComponent(word)}`);
  await queue.selectTicket(ids[1]!);
  const link = shell.url();
  expect(link).toContain('status=closed');
  expect(link).toContain('priority=high');
  expect(link).toContain('sort=created.asc');
  expect(link).toContain(`ticket=${ids[1]}`);

  await queue.filter('status', 'closed').uncheck();
  await queue.filter('priority', 'high').uncheck();
  await shell.openLink(serverUrl, new URL(link).hash);
  await shell.expectView('queue');
  await expect(queue.filter('status', 'closed')).toBeChecked();
  await expect(queue.filter('priority', 'high')).toBeChecked();
  await expect(queue.filter('status', 'pending')).not.toBeChecked();
  await expect(queue.search).toHaveValue(word);
  await expect(queue.sortHeader('created')).toHaveAttribute('aria-sort', 'ascending');
  await expect(detail.root).toHaveAttribute('data-ticket-id', ids[1]!);
  await expect(queue.row(ids[1]!)).toHaveAttribute('aria-selected', 'true');
  expect(await queue.settledTotal()).toBeLessThan(closedHigh);
  expect(new Set(await queue.rowValues('data-status'))).toEqual(new Set(['closed']));
  expect(new Set(await queue.rowValues('data-priority'))).toEqual(new Set(['high']));

  // A link that makes no sense opens the default view; nothing crashes (the page guard fails the test on errors).
  await shell.openLink(serverUrl, '#/no-such-view?status=exploded');
  await shell.expectView('queue');
  expect(shell.fragment()).toBe('#/queue');
  await shell.openLink(serverUrl, '#/queue?status=exploded&status=pending&sort=nonsense');
  await expect(queue.filter('status', 'pending')).toBeChecked();
  expect(shell.fragment()).toBe('#/queue?status=pending');
  // A link to a view this role (a supervisor) may not open says why instead.
  await shell.openLink(serverUrl, '#/access');
  await expect(shell.viewRefused).toContainText(/.+/);
  await expect(shell.tab('access')).toBeDisabled();
});

test('the queue sorts on the server (aria-sort), filters by SLA state, and is reached by a skip link before any filter', async ({ page, demoDb, serverUrl }) => {
  const shell = new ConsoleShell(page);
  const queue = new QueuePage(page);
  const detail = new TicketDetailPage(page);
  await shell.open(serverUrl);
  // An ARIA grid: its column headers include the SLA state (category and channel drop out on a narrow queue).
  await expect(queue.columnHeaders.filter({ hasText: 'SLA' })).toHaveCount(1);
  await expect(queue.sortHeader('created')).toHaveAttribute('aria-sort', 'descending');
  await expect(queue.sortHeader('created')).toContainText('(UTC)');
  await expect(queue.sortHeader('priority')).toHaveAttribute('aria-sort', 'none');
  await expect(queue.filterGroup('SLA state').getByRole('checkbox')).toHaveCount(4);

  await queue.sortBy('priority');
  await expect(queue.sortHeader('priority')).toHaveAttribute('aria-sort', 'ascending');
  await expect(queue.sortHeader('created')).toHaveAttribute('aria-sort', 'none');
  await expect.poll(async () => (await queue.rowValues('data-priority'))[0]).toBe('low');
  const ascending = (await queue.rowValues('data-priority')).map((p) => PRIORITY_ORDER.indexOf(p));
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));

  await queue.sortBy('priority');
  await expect(queue.sortHeader('priority')).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(async () => (await queue.rowValues('data-priority'))[0]).toBe('urgent');
  const descending = (await queue.rowValues('data-priority')).map((p) => PRIORITY_ORDER.indexOf(p));
  expect(descending).toEqual([...descending].sort((a, b) => b - a));
  expect(shell.fragment()).toBe('#/queue?sort=priority.desc');

  // The last ticket of the whole list (beyond the first page) is the lowest priority: the order is server-side.
  const total = await queue.settledTotal();
  await queue.scrollToEnd();
  await expect(queue.rowAtPosition(total)).toHaveAttribute('data-priority', 'low');

  // The SLA-state filter: only breached tickets, and the SLA column says so.
  await queue.sortBy('created');
  await expect(queue.sortHeader('created')).toHaveAttribute('aria-sort', 'descending');
  expect(shell.fragment()).toBe('#/queue');
  const all = await queue.settledTotal();
  await queue.filter('sla', 'breached').check();
  await expect.poll(() => queue.totalCount()).not.toBe(all);
  const breached = await queue.settledTotal();
  expect(breached).toBeGreaterThan(0);
  expect(breached).toBeLessThan(all);
  expect(new Set(await queue.rowValues('data-sla-state'))).toEqual(new Set(['breached']));
  expect(new Set(await queue.columnTexts('sla'))).toEqual(new Set(['Breached']));
  expect(shell.fragment()).toBe('#/queue?sla=breached');

  // Independently of the queue: the SLA engine's CLI report on the shown ticket names a breached metric.
  const [first] = await queue.rowValues('data-ticket-id');
  const report = JSON.parse((await runCli(['sla', '--db', demoDb, '--ticket', first!, '--json'])).stdout) as { metrics: Record<string, { outcome: string }> };
  expect(Object.values(report.metrics).some((m) => m.outcome === 'breached')).toBe(true);
  await queue.selectTicket(first!);
  await expect(detail.root).toHaveAttribute('data-ticket-id', first!);

  // The other states add up to the rest of the queue; sorted by SLA state, breached tickets come first.
  await queue.filter('sla', 'breached').uncheck();
  for (const state of ['in_progress', 'achieved', 'none']) await queue.filter('sla', state).check();
  await expect.poll(() => queue.totalCount()).toBe(all - breached);
  for (const state of ['in_progress', 'achieved', 'none']) await queue.filter('sla', state).uncheck();
  await queue.sortBy('sla');
  await expect(queue.sortHeader('sla')).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => (await queue.rowValues('data-sla-state'))[0]).toBe('breached');
  const bySla = await queue.rowValues('data-sla-state');
  // Exactly the first `breached` rows are breached (as far as the rows shown reach).
  const firstOther = bySla.findIndex((state) => state !== 'breached');
  expect(firstOther === -1 ? bySla.length : firstOther).toBe(Math.min(breached, bySla.length));
  expect(bySla.slice(breached)).not.toContain('breached');
  expect(shell.fragment()).toBe(`#/queue?sort=sla.asc&ticket=${first}`);

  // Keyboard: the search box comes before every filter checkbox, and the skip link is the first stop.
  await shell.reload();
  await queue.settledTotal();
  expect(await shell.checkboxesBefore(queue.search)).toBe(0);
  await shell.reload();
  expect(await shell.tabsUntilFocused(shell.skipLink)).toBe(1);
  await expect(shell.skipLink).toHaveText('Skip to tickets');
  const route = shell.fragment();
  await page.keyboard.press('Enter');
  expect(await shell.focused()).toBe('ticket-queue');
  expect(shell.fragment()).toBe(route);
  // Arrow keys move the selection from the rows (the open ticket moves to the next row) without a Back step per
  // row: Back returns to the entry before this order was chosen.
  await page.keyboard.press('ArrowDown');
  await expect(queue.selectedRows).toHaveCount(1);
  await expect(queue.selectedRows).not.toHaveAttribute('data-ticket-id', first!);
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => shell.fragment()).not.toContain(`ticket=${first}`);
  await shell.back();
  await expect.poll(() => shell.fragment()).toBe(`#/queue?ticket=${first}`);
  await expect(queue.sortHeader('created')).toHaveAttribute('aria-sort', 'descending');

  await new SlaBoardPage(page).show();
  await expect(shell.skipLink).toHaveText('Skip to main content');
});
