// The one set of display formatters (shared/format.ts), checked against hand-written expected strings.
import { describe, expect, it } from 'vitest';
import { formatAmount, formatBudgetUse, formatCount, formatDuration, formatInstant, formatMoney, formatPercent, formatPointsDelta } from '../../shared/format.ts';

describe('display formatting', () => {
  it('formats counts, percentages and point deltas', () => {
    expect(formatCount(16061)).toBe('16,061');
    expect(formatPercent(0.4976)).toBe('49.8%');
    expect(formatPercent(null)).toBe('—');
    expect(formatPointsDelta(0.031)).toBe('+3.1 pp');
    expect(formatPointsDelta(-0.0049)).toBe('\u22120.5 pp');
  });

  it('formats money from minor units with the currency code and one minus sign', () => {
    expect(formatMoney(489300, 'EUR')).toBe('EUR 4,893.00');
    expect(formatMoney(-198, 'EUR')).toBe('\u2212EUR 1.98');
    expect(formatMoney(500, 'JPY')).toBe('JPY 500');
    expect(() => formatMoney(0.5, 'EUR')).toThrow(/minor units/);
    expect(() => formatMoney(1, 'XYZ1')).toThrow(/ISO 4217/);
    // A contract's decimal amounts: the same format as minor units, never through a float.
    expect(formatAmount('603.9', 'EUR')).toBe('EUR 603.90');
    expect(formatAmount('-0.99', 'EUR')).toBe('\u2212EUR 0.99');
    expect(formatAmount('90071992547409.91', 'EUR')).toBe('EUR 90,071,992,547,409.91');
    expect(() => formatAmount('90071992547409.93', 'EUR')).toThrow(/whole minor units/);
    expect(() => formatAmount('0.999', 'EUR')).toThrow(/not an amount in EUR/);
  });

  it('formats durations in their two largest units and budgets in minutes', () => {
    expect(formatDuration(3 * 86_400 + 4 * 3_600 + 59)).toBe('3 d 4 h');
    expect(formatDuration(5_400)).toBe('1 h 30 min');
    expect(formatDuration(86_400)).toBe('1 d');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(-3_660)).toBe('\u22121 h 1 min');
    expect(formatBudgetUse(121.4, 120, 'business')).toBe('121 of 120 business min');
  });

  it('formats instants as ISO date and time with the zone named', () => {
    expect(formatInstant('2026-11-02T10:00:00.000Z')).toBe('2026-11-02 10:00:00 UTC');
    // Berlin is UTC+1 in November, UTC+2 in summer; midnight reads 00, not 24.
    expect(formatInstant('2026-11-02T10:00:00Z', 'Europe/Berlin')).toBe('2026-11-02 11:00:00 Europe/Berlin');
    expect(formatInstant('2026-07-31T22:00:00Z', 'Europe/Berlin')).toBe('2026-08-01 00:00:00 Europe/Berlin');
    expect(formatInstant('not a time')).toBe('—');
  });
});
