// Dates are typed as ISO text (YYYY-MM-DD, or YYYY-MM-DD HH:mm on the reader's clock), never through a locale's
// picker that reads 03/05 one way in one country and another way in the next. The field says what it expects and
// marks text it cannot read; its owner decides what to do with an invalid value.
import { useId, type InputHTMLAttributes } from 'react';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/;

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isIsoDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/**
 * "YYYY-MM-DD HH:mm" (or with a T) on the reader's clock, as an ISO instant; null when it is not a real day and
 * time. The browser's own zone is the reader's zone, so the wall time is read as local time.
 */
export function localDayTimeToIso(text: string): string | null {
  const match = DAY_TIME.exec(text.trim());
  if (!match || !isIsoDay(match[1]!)) return null;
  const [hours, minutes] = match[2]!.split(':').map(Number) as [number, number];
  if (hours > 23 || minutes > 59) return null;
  const date = new Date(`${match[1]}T${match[2]}:00`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'> {
  value: string;
  onChange(text: string): void;
  /** With a time of day (HH:mm, 24 h) after the date. */
  withTime?: boolean;
  /** Accessible name when no <label> wraps the field. */
  label?: string;
}

export function IsoDateInput({ value, onChange, withTime = false, label, ...rest }: Props) {
  const hintId = useId();
  const format = withTime ? 'YYYY-MM-DD HH:mm' : 'YYYY-MM-DD';
  const invalid = value !== '' && (withTime ? localDayTimeToIso(value) === null : !isIsoDay(value));
  return (
    <>
      <input
        {...rest}
        type="text"
        className={['iso-date', rest.className].filter(Boolean).join(' ')}
        inputMode="numeric"
        spellCheck={false}
        autoComplete="off"
        placeholder={format}
        size={withTime ? 16 : 10}
        maxLength={withTime ? 16 : 10}
        aria-label={label}
        aria-invalid={invalid || undefined}
        aria-describedby={hintId}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <span id={hintId} className="visually-hidden">
        {withTime ? 'Date and 24-hour time on your clock, as YYYY-MM-DD HH:mm' : 'Date as YYYY-MM-DD'}
      </span>
    </>
  );
}
