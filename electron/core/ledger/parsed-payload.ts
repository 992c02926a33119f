// A stored event's payload as an object, parsed once per row however many readers ask. A refresh reads a chunk of
// tickets' events once and hands the same rows to every projection (derived/refresh.ts); the ticket row, the KPI facts
// and the SLA clocks each read every payload, and parsing each payload once per reader was a measurable part of an
// import's and a rebuild's projections. The parsed object is shared: readers must never change it.

/** Where a row keeps its parsed payload: a symbol, so it never shows among the row's fields (nor in its JSON). */
const PARSED = Symbol('parsed payload');

type WithParsed = { readonly payload: string; [PARSED]?: Readonly<Record<string, unknown>> };

/** The row's payload, parsed on the first ask and kept on the row for the next readers (read-only: shared). */
export function payloadOf(row: { readonly payload: string }): Readonly<Record<string, unknown>> {
  const holder = row as WithParsed;
  return (holder[PARSED] ??= JSON.parse(holder.payload) as Record<string, unknown>);
}
