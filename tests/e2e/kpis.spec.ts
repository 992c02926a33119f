import { expect, test } from './fixtures.ts';
import { TicketDetailPage } from './pages/TicketDetailPage.ts';

test('the KPI overview renders with data and a figure leads to a ticket timeline with its evidence', async ({ page, serverUrl }, testInfo) => {
  await page.goto(serverUrl);
  await page.getByTestId('view-tab-kpis').click();
  const overview = page.getByTestId('kpis-overview');
  await expect(overview).toBeVisible();
  await expect(page.getByTestId('kpi-value-tickets')).not.toHaveText('0');
  await expect(page.getByTestId('kpi-value-deflection')).toHaveText(/^\d+(\.\d)?%$/);
  await expect(page.getByTestId('kpi-value-fcr')).toHaveText(/^\d+(\.\d)?%$/);
  await expect(page.getByTestId('kpi-value-aht')).toHaveText(/^\d+(\.\d)? min$/);
  await expect(page.getByTestId('kpis-trend-rates').locator('svg.recharts-surface[role="application"]')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('kpis-overview.png'), fullPage: true });

  await page.getByTestId('kpi-figure-deflection').click();
  const drill = page.getByTestId('kpis-drill');
  await expect(drill).toBeVisible();
  const first = drill.getByTestId('kpis-drill-ticket').first();
  await expect(first).toBeVisible();
  const id = (await first.locator('.mono').textContent())!;
  await page.screenshot({ path: testInfo.outputPath('kpis-drill.png'), fullPage: true });
  await first.click();

  const detail = new TicketDetailPage(page);
  await expect(detail.root).toHaveAttribute('data-ticket-id', id);
  // the AI's solve is the evidence of a deflection
  const evidence = detail.root.locator('[data-testid="timeline-event"][data-evidence="true"]');
  await expect(evidence).toHaveCount(1);
  await expect(evidence).toHaveAttribute('data-type', 'status');
  await page.screenshot({ path: testInfo.outputPath('kpis-ticket-timeline.png'), fullPage: true });
});

test('the ROI calculator recomputes when an input changes; the board lists categories by tier', async ({ page, serverUrl }, testInfo) => {
  await page.goto(serverUrl);
  await page.getByTestId('view-tab-kpis').click();
  await page.getByTestId('kpis-tab-roi').click();
  const roi = page.getByTestId('roi-value');
  await expect(roi).toHaveText(/^ROI -?\d+\.\d\d×$/);
  await expect(page.getByTestId('roi-formula')).toContainText('labor savings');
  await expect(page.getByTestId('roi-sensitivity').locator('svg.recharts-surface[role="application"]')).toBeVisible();
  const before = await roi.textContent();
  const labor = await page.getByTestId('roi-labor').textContent();
  await page.getByTestId('roi-input-baseSalary').fill('100000');
  await expect(page.getByTestId('roi-labor')).not.toHaveText(labor!);
  await expect(roi).not.toHaveText(before!);
  await page.screenshot({ path: testInfo.outputPath('kpis-roi.png'), fullPage: true });

  await page.getByTestId('kpis-tab-board').click();
  const board = page.getByTestId('kpis-board');
  await expect(board).toBeVisible();
  const rows = board.locator('tbody tr');
  await expect(rows.first()).toHaveAttribute('data-testid', /kpis-board-row-(password_reset|shipping_status|how_to)/);
  await expect(page.getByTestId('kpis-board-row-outage')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('kpis-board.png'), fullPage: true });
});
