// Business time of one calendar: its open intervals as UTC instants, built per local day with Luxon (IANA
// zones, so DST, weekends, holidays and midnight are the library's arithmetic, not ours), with prefix sums
// so "business ms between two instants" and "instant after N business ms" are binary searches.
import { DateTime } from 'luxon';
import { WEEKDAYS, type CalendarDef } from './policy-schema.ts';

export class BusinessCalendar {
  private readonly def: CalendarDef;
  private readonly holidays: Set<string>;
  private firstYear = 0;
  private lastYear = -1;
  /** Interval i is [starts[i], ends[i]); before[i] = open ms in all intervals before i. */
  private starts = new Float64Array(0);
  private ends = new Float64Array(0);
  private before = new Float64Array(0);

  constructor(def: CalendarDef) {
    this.def = def;
    this.holidays = new Set(def.holidays);
  }

  /** Open milliseconds in [from, to) (0 when to <= from). */
  between(from: number, to: number): number {
    if (to <= from) return 0;
    this.cover(from, to);
    return this.openBefore(to) - this.openBefore(from);
  }

  /** The instant at which `ms` open milliseconds have passed since `from` (the end of an interval when it lands there). */
  add(from: number, ms: number): number {
    if (ms <= 0) return from;
    this.cover(from, from);
    const target = this.openBefore(from) + ms;
    // Extending forward keeps the origin of the prefix sums (the first year), so `target` stays valid.
    while (this.totalOpen() < target) this.extendForward();
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.before[mid]! + (this.ends[mid]! - this.starts[mid]!) >= target) hi = mid;
      else lo = mid + 1;
    }
    return this.starts[lo]! + (target - this.before[lo]!);
  }

  private totalOpen(): number {
    const n = this.starts.length;
    return n === 0 ? 0 : this.before[n - 1]! + (this.ends[n - 1]! - this.starts[n - 1]!);
  }

  /** Open ms from the first built interval up to `at`. */
  private openBefore(at: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= at) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    if (i < 0) return 0;
    return this.before[i]! + Math.min(at, this.ends[i]!) - starts[i]!;
  }

  private cover(from: number, to: number): void {
    const fromYear = new Date(from - 86_400_000).getUTCFullYear();
    const toYear = new Date(to + 86_400_000).getUTCFullYear();
    if (this.lastYear >= this.firstYear && fromYear >= this.firstYear && toYear <= this.lastYear) return;
    const first = this.lastYear < this.firstYear ? fromYear : Math.min(fromYear, this.firstYear);
    const last = this.lastYear < this.firstYear ? toYear : Math.max(toYear, this.lastYear);
    this.build(first, last);
  }

  private extendForward(): void {
    if (this.lastYear - this.firstYear > 50) throw new Error('business calendar: no open hours within 50 years');
    this.build(this.firstYear, this.lastYear + 1);
  }

  private build(firstYear: number, lastYear: number): void {
    const starts: number[] = [];
    const ends: number[] = [];
    const zone = this.def.timezone;
    let day = DateTime.fromObject({ year: firstYear, month: 1, day: 1 }, { zone });
    const stop = DateTime.fromObject({ year: lastYear + 1, month: 1, day: 1 }, { zone });
    while (day < stop) {
      const spans = this.holidays.has(day.toISODate()!) ? undefined : this.def.hours[WEEKDAYS[day.weekday - 1]!];
      for (const [open, close] of spans ?? []) {
        const start = at(day, open);
        const end = at(day, close);
        if (end <= start) continue; // a span inside a skipped DST hour
        if (ends.length > 0 && start <= ends[ends.length - 1]!) ends[ends.length - 1] = Math.max(end, ends[ends.length - 1]!);
        else {
          starts.push(start);
          ends.push(end);
        }
      }
      day = day.plus({ days: 1 });
    }
    this.starts = Float64Array.from(starts);
    this.ends = Float64Array.from(ends);
    this.before = new Float64Array(starts.length);
    let sum = 0;
    for (let i = 0; i < starts.length; i++) {
      this.before[i] = sum;
      sum += ends[i]! - starts[i]!;
    }
    this.firstYear = firstYear;
    this.lastYear = lastYear;
  }
}

/** The instant of a wall-clock time on a local day; "24:00" is the next day's midnight. */
function at(day: DateTime, time: string): number {
  if (time === '24:00') return day.plus({ days: 1 }).startOf('day').toMillis();
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return day.set({ hour, minute, second: 0, millisecond: 0 }).toMillis();
}

const cache = new Map<string, BusinessCalendar>();

/** One shared instance per calendar definition (they are immutable and expensive to build). */
export function businessCalendar(def: CalendarDef): BusinessCalendar {
  const key = JSON.stringify(def);
  let calendar = cache.get(key);
  if (!calendar) {
    calendar = new BusinessCalendar(def);
    cache.set(key, calendar);
  }
  return calendar;
}
