// Business calendar for the demo generator: Europe/Berlin office hours (Mon–Fri 08:00–18:00, German public
// holidays off), precomputed once per day with Luxon so the hot path is plain epoch-millisecond arithmetic.
import { DateTime } from 'luxon';

export const ZONE = 'Europe/Berlin';
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
const OPEN_HOUR = 8;
const CLOSE_HOUR = 18;

/** Gregorian Easter Sunday (anonymous algorithm), month 1-based. */
function easter(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

const holidayCache = new Map<number, Set<string>>();
/** Nationwide German public holidays of a year as 'MM-DD' keys. */
function holidays(year: number): Set<string> {
  let set = holidayCache.get(year);
  if (set) return set;
  const key = (dt: DateTime): string => dt.toFormat('MM-dd');
  const e = easter(year);
  const sunday = DateTime.fromObject({ year, month: e.month, day: e.day }, { zone: 'utc' });
  set = new Set([
    '01-01',
    '05-01',
    '10-03',
    '12-25',
    '12-26',
    key(sunday.minus({ days: 2 })), // Good Friday
    key(sunday.plus({ days: 1 })), // Easter Monday
    key(sunday.plus({ days: 39 })), // Ascension Day
    key(sunday.plus({ days: 50 })), // Whit Monday
  ]);
  holidayCache.set(year, set);
  return set;
}

/** Per-Berlin-day table covering [fromMs, toMs]. */
export class BusinessCalendar {
  readonly dayStart: Float64Array; // Berlin midnight of each day (epoch ms)
  readonly open: Float64Array; // 08:00 Berlin, or NaN when the office is closed all day
  readonly close: Float64Array; // 18:00 Berlin, or NaN
  readonly weekday: Uint8Array; // 1 = Monday … 7 = Sunday
  readonly holiday: Uint8Array; // 1 when a public holiday
  readonly offsetMin: Int16Array; // UTC offset at noon, minutes
  readonly n: number;

  constructor(fromMs: number, toMs: number) {
    let day = DateTime.fromMillis(fromMs, { zone: ZONE }).startOf('day');
    const days: DateTime[] = [];
    while (day.toMillis() <= toMs) {
      days.push(day);
      day = day.plus({ days: 1 });
    }
    days.push(day); // sentinel: start of the day after the last
    this.n = days.length - 1;
    this.dayStart = new Float64Array(days.length);
    this.open = new Float64Array(this.n);
    this.close = new Float64Array(this.n);
    this.weekday = new Uint8Array(this.n);
    this.holiday = new Uint8Array(this.n);
    this.offsetMin = new Int16Array(this.n);
    for (let i = 0; i < days.length; i++) {
      const d = days[i] as DateTime;
      this.dayStart[i] = d.toMillis();
      if (i === this.n) break;
      const isHoliday = holidays(d.year).has(d.toFormat('MM-dd'));
      const working = d.weekday <= 5 && !isHoliday;
      this.weekday[i] = d.weekday;
      this.holiday[i] = isHoliday ? 1 : 0;
      this.offsetMin[i] = d.set({ hour: 12 }).offset;
      this.open[i] = working ? d.set({ hour: OPEN_HOUR }).toMillis() : Number.NaN;
      this.close[i] = working ? d.set({ hour: CLOSE_HOUR }).toMillis() : Number.NaN;
    }
  }

  /** Index of the Berlin day containing t, or -1 / n when outside the table. */
  dayOf(t: number): number {
    const ds = this.dayStart;
    if (t < (ds[0] as number)) return -1;
    if (t >= (ds[this.n] as number)) return this.n;
    let i = Math.floor((t - (ds[0] as number)) / DAY);
    if (i > this.n - 1) i = this.n - 1;
    while (i > 0 && (ds[i] as number) > t) i--;
    while (i < this.n - 1 && (ds[i + 1] as number) <= t) i++;
    return i;
  }

  /** Berlin local hour (0–23) of t (approximation using the day's noon offset). */
  localHour(t: number, d: number = this.dayOf(t)): number {
    if (d < 0 || d >= this.n) return new Date(t).getUTCHours();
    return Math.floor((t - (this.dayStart[d] as number)) / HOUR) % 24;
  }

  isBusiness(t: number): boolean {
    const d = this.dayOf(t);
    if (d < 0 || d >= this.n) return false;
    return t >= (this.open[d] as number) && t < (this.close[d] as number);
  }

  /** t itself when inside office hours, else the next office opening. */
  nextBusiness(t: number): number {
    let d = this.dayOf(t);
    if (d < 0) d = 0;
    for (; d < this.n; d++) {
      const o = this.open[d] as number;
      if (Number.isNaN(o)) continue;
      if (t < o) return o;
      if (t < (this.close[d] as number)) return t;
    }
    return t; // beyond the table: no calendar, keep time as is
  }

  /** Advance t by `ms` of office time (clock stops outside office hours). */
  addBusiness(t: number, ms: number): number {
    let cur = this.nextBusiness(t);
    let left = ms;
    for (let guard = 0; guard < 400; guard++) {
      const d = this.dayOf(cur);
      if (d < 0 || d >= this.n) return cur + left;
      const c = this.close[d] as number;
      if (Number.isNaN(c)) return cur + left;
      const room = c - cur;
      if (left <= room) return cur + left;
      left -= room;
      cur = this.nextBusiness(c);
      if (cur === c) return cur + left; // fell off the table
    }
    return cur + left;
  }
}
