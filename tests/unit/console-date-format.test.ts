// The console's one date format: ISO order on the reader's clock with the zone shown. Expected strings are worked
// out by hand from the zones' published offsets (Berlin +1 / +2 in summer, New York −5, Kolkata +5:30).
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatTimestamp } from '../../renderer/src/lib/format.ts';
import { isIsoDay, localDayTimeToIso } from '../../renderer/src/components/IsoDateInput.tsx';

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

  it('reads typed dates as ISO text only: real days, and day-time on the local clock', () => {
    expect(isIsoDay('2024-02-29')).toBe(true);
    expect(isIsoDay('2023-02-29')).toBe(false);
    expect(isIsoDay('03/05/2024')).toBe(false);
    expect(isIsoDay('2024-3-5')).toBe(false);
    // The local clock of this process, built with the Date constructor's own local-time fields.
    expect(localDayTimeToIso('2026-11-02 10:00')).toBe(new Date(2026, 10, 2, 10, 0).toISOString());
    expect(localDayTimeToIso('2026-11-02T23:59')).toBe(new Date(2026, 10, 2, 23, 59).toISOString());
    for (const bad of ['2026-02-30 10:00', '2026-11-02 24:00', '2026-11-02 10:60', '11/02/2026 10:00', '2026-11-02', '']) {
      expect(localDayTimeToIso(bad), bad).toBeNull();
    }
  });
});
