// KPI money: which one currency a report's amounts are in, and how the period's shared infrastructure cost is
// shared out. Amounts are integer minor units (shared/money.ts); amounts in two currencies are never added.
import type { CostModel } from '../../../shared/contracts/kpis.ts';
import type { Db } from '../db/connection.ts';
import { allocateLargestRemainder, currencyDigits, CurrencyMismatchError, MoneyError, roundMinor, toMinor } from '../outcomes/money.ts';
import { ledgerWideEvents, type VerifiedCell } from './kpi-repository.ts';
import { KpiInputError } from './kpi-input-error.ts';

/** The currencies of the ledger's outcome contracts, each with the contracts in it (sorted). */
export function contractCurrencies(db: Db): Map<string, string[]> {
  const byCurrency = new Map<string, Set<string>>();
  for (const row of ledgerWideEvents(db, 'contract.version')) {
    const payload = JSON.parse(row.payload) as { id?: unknown; currency?: unknown };
    const currency = String(payload.currency);
    let ids = byCurrency.get(currency);
    if (!ids) byCurrency.set(currency, (ids = new Set()));
    ids.add(String(payload.id));
  }
  return new Map([...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, ids]) => [currency, [...ids].sort()]));
}

const contractSource = (ids: readonly string[]): string => (ids.length === 1 ? `outcome contract ${ids[0]}` : `outcome contracts ${ids.join(', ')}`);

export type MoneyCurrency = { currency: string; digits: number } | { currency: null; reason: string };

/**
 * The one currency of a report's amounts. Spend comes in the verified outcomes' currency (their contract's); the
 * cost model (salary, infrastructure) may name its currency and must then be that one: a cost model in USD against
 * a EUR contract is refused with an error naming both. No currency at all (no contract, none named): no amounts.
 */
export function moneyCurrency(db: Db, spendCurrencies: ReadonlySet<string>, costModelCurrency: string | undefined): MoneyCurrency {
  if (spendCurrencies.size > 1) {
    return { currency: null, reason: `the verified outcomes of these tickets are in ${[...spendCurrencies].sort().join(' and ')}: amounts in different currencies are never added; select tickets of one contract's categories` };
  }
  const contracts = contractCurrencies(db);
  let reference: { currency: string; source: string } | null = null;
  const [spent] = spendCurrencies;
  if (spent !== undefined) reference = { currency: spent, source: contracts.has(spent) ? contractSource(contracts.get(spent)!) : 'the verified outcomes' };
  else if (contracts.size === 1) {
    const [currency, ids] = [...contracts][0]!;
    reference = { currency, source: contractSource(ids) };
  }
  if (reference && costModelCurrency !== undefined && costModelCurrency !== reference.currency) {
    throw new KpiInputError(new CurrencyMismatchError(reference, { currency: costModelCurrency, source: 'the cost model' }).message);
  }
  const currency = reference?.currency ?? costModelCurrency;
  if (currency === undefined) {
    return {
      currency: null,
      reason:
        contracts.size > 1
          ? `the ledger's outcome contracts are in ${[...contracts.keys()].join(' and ')} and these tickets have no verified spend: name the cost model's currency to show amounts`
          : 'no outcome contract and no cost-model currency: amounts have no currency, so none is shown',
    };
  }
  const digits = currencyDigits(currency);
  if (digits === null) return { currency: null, reason: `"${currency}" (${reference?.source ?? 'the cost model'}) is not an ISO 4217 currency code` };
  return { currency, digits };
}

/** A cost-model amount (major units, as given) in minor units of the report's currency, or a plain input error. */
export function costModelMinor(cost: CostModel, key: 'baseSalary' | 'infrastructurePerMonth', currency: string, digits: number): number {
  try {
    return toMinor(cost[key], digits);
  } catch (error) {
    if (error instanceof MoneyError) throw new KpiInputError(`costModel.${key}: ${error.message} for ${currency}`);
    throw error;
  }
}

/** The period's infrastructure cost: the monthly cost × the period's months, rounded once to the minor unit. */
export function infrastructureForPeriod(monthlyMinor: number, months: number): number {
  return roundMinor(monthlyMinor * months);
}

const cellKey = (cell: Pick<VerifiedCell, 'category' | 'channel' | 'actor'>): string => JSON.stringify([cell.category, cell.channel, cell.actor]);

/**
 * The rule for shared infrastructure cost: the period's cost is split over the categories by their share of the
 * period's verified AI resolutions (largest remainder, categories in name order, so the parts add up to the total to
 * the cent); each category's part is split the same way over its channel × actor cells. A report's selection, and
 * each of its groups, bears the sum of its cells' parts: the same cent in every view, whatever the filter.
 * A period without verified resolutions bears no infrastructure cost here (there is nothing to divide it by).
 */
export function infrastructureShares(totalMinor: number, cells: readonly VerifiedCell[]): Map<string, number> {
  const shares = new Map<string, number>();
  const byCategory = Map.groupBy(
    [...cells].filter((cell) => cell.verified > 0).sort((a, b) => cellKey(a).localeCompare(cellKey(b))),
    (cell) => cell.category,
  );
  const categories = [...byCategory.keys()].sort((a, b) => a.localeCompare(b));
  if (categories.length === 0) return shares;
  const categoryParts = allocateLargestRemainder(
    totalMinor,
    categories.map((category) => byCategory.get(category)!.reduce((sum, cell) => sum + cell.verified, 0)),
  );
  categories.forEach((category, index) => {
    const categoryCells = byCategory.get(category)!;
    const cellParts = allocateLargestRemainder(categoryParts[index]!, categoryCells.map((cell) => cell.verified));
    categoryCells.forEach((cell, i) => shares.set(cellKey(cell), cellParts[i]!));
  });
  return shares;
}

/** The infrastructure part of the cells a predicate selects. */
export function shareOf(shares: ReadonlyMap<string, number>, cells: readonly VerifiedCell[], selected: (cell: VerifiedCell) => boolean): number {
  let sum = 0;
  for (const cell of cells) if (selected(cell)) sum += shares.get(cellKey(cell)) ?? 0;
  return sum;
}
