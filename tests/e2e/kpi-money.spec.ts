// Money in the KPI view is in the outcome contract's currency (the demo's is EUR): labelled with its code, shown
// with formatMoney, never with "$" (issue 14, item 2).
import { expect, test } from './fixtures.ts';
import { KpiRoiPage } from './pages/KpiRoiPage.ts';

const EUR_AMOUNT = /^−?EUR \d{1,3}(,\d{3})*\.\d\d$/;

test('a EUR contract: the overview and the ROI calculator show EUR amounts and no "$" anywhere', async ({ page, serverUrl }, testInfo) => {
  await page.goto(serverUrl);
  const kpis = new KpiRoiPage(page);
  await kpis.open();
  await expect(kpis.costFigure).toHaveText(/^(EUR [\d,]+\.\d\d|—) \/ (EUR [\d,]+\.\d\d|—)$/);
  // The demo has human-resolved tickets and AI deflections: labour savings is an amount in EUR.
  await expect(kpis.savingsFigure).toHaveText(EUR_AMOUNT);
  await expect(kpis.spendFigure).toHaveText(/^(EUR [\d,]+\.\d\d|—)$/);
  await expect(kpis.view).not.toContainText('$');

  await kpis.openCalculator();
  // The currency comes from the contract and cannot be switched to another one here.
  await expect(kpis.currency).toHaveValue('EUR');
  await expect(kpis.currency).toHaveAttribute('readonly', '');
  await expect(kpis.label('baseSalary')).toContainText('(EUR/year)');
  await expect(kpis.label('pricePerResolution')).toContainText('(EUR)');
  await expect(kpis.labor).toHaveText(EUR_AMOUNT);
  const [usage, infrastructure, total] = (await kpis.spend.textContent())!.split(/ \+ | = /);
  for (const amount of [usage, infrastructure, total]) expect(amount).toMatch(EUR_AMOUNT);
  await expect(kpis.view).not.toContainText('$');

  // An amount with more decimals than EUR has is refused with a plain reason, not rounded.
  await kpis.input('pricePerResolution').fill('0.999');
  await kpis.input('verifiedSpend').fill('');
  await expect(kpis.problem).toContainText('more than 2 decimal places for EUR');
  await page.screenshot({ path: testInfo.outputPath('kpi-money-roi.png'), fullPage: true });
});
