// The console's one date format: ISO order on the reader's clock with the zone shown. Expected strings are worked
// out by hand from the zones' published offsets (Berlin +1 / +2 in summer, New York −5, Kolkata +5:30).
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatTimestamp } from '../../renderer/src/lib/format.ts';

describe('console date format', () => {
  it('shows ISO date and 24-hour time in the given zone with its UTC offset at that instant', () => {
    expect(formatDateTime('2024-03-05T14:07:33Z', { timeZone: 'UTC' })).toBe('2024-03-05 14:07 UTC');
    expect(formatDateTime('2024-03-05T14:07:33Z', { timeZone: 'Europe/Berlin' })).toBe('2024-03-05 15:07 UTC+01:00');
    expect(formatDateTime('2024-07-05T14:07:33Z', { timeZone: 'Europe/Berlin' })).toBe('2024-07-05 16:07 UTC+02:00');
    expect(formatDateTime('2024-03-05T02:30:00Z', { timeZone: 'America/New_York' })).toBe('2024-03-04 21:30 UTC\u221205:00');
    expect(formatTimestamp('2024-03-05T00:00:09.999Z', { timeZone: 'Asia/Kolkata' })).toBe('2024-03-05 05:30:09 UTC+05:30');
    expect(formatTimestamp('2024-12-31T23:59:59Z', { timeZone: 'UTC' })).toBe('2024-12-31 23:59:59 UTC');
  });

  it('leaves the zone off only when asked (a header names it), and gives the local calendar day', () => {
    expect(formatDateTime('2024-03-05T23:30:00Z', { timeZone: 'Europe/Berlin', zone: false })).toBe('2024-03-06 00:30');
    expect(formatDay('2024-03-05T23:30:00Z', { timeZone: 'Europe/Berlin' })).toBe('2024-03-06');
    expect(formatDay('2024-03-05T23:30:00Z', { timeZone: 'UTC' })).toBe('2024-03-05');
  });

  it('returns text that is not a date unchanged rather than "Invalid Date"', () => {
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});
