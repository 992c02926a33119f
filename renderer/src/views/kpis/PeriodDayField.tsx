// A day of the KPI period, typed as ISO text like every date in the console. The period changes only when the text is
// a real day: a half-typed "2026-0" is kept in the field, marked invalid, and asks the core for nothing.
import { useEffect, useState } from 'react';
import { IsoDateInput, isIsoDay } from '../../components/IsoDateInput.tsx';

export function PeriodDayField({ value, onDay, testId }: { value: string; onDay(day: string): void; testId: string }) {
  const [draft, setDraft] = useState(value);
  // The period may change elsewhere (a link, a chart week): the field follows it.
  useEffect(() => setDraft(value), [value]);
  return (
    <IsoDateInput
      value={draft}
      data-testid={testId}
      onChange={(text) => {
        setDraft(text);
        if (isIsoDay(text) && text !== value) onDay(text);
      }}
    />
  );
}
