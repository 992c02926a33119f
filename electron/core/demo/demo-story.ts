// The demo's pilot story, in the ledger's own terms: a KPI baseline frozen at go-live over the pre-pilot months,
// and the category the supervisor takes back to drafts after the board fails it (the numbers behind both come from
// the generator's AI profiles, judged by kpis/board.ts like any ledger's).
import { DEMO_DEFAULT_START, demoPilotStart } from './generator.ts';

export const DEMO_BASELINE_NAME = 'Pre-pilot baseline';

/** The pre-pilot months: from the demo's first day to the day before go-live (whole UTC days). */
export function demoBaselinePeriod(): { from: string; to: string } {
  const pilotStart = Date.parse(demoPilotStart({}));
  return { from: DEMO_DEFAULT_START.slice(0, 10), to: new Date(pilotStart - 86_400_000).toISOString().slice(0, 10) };
}

export const DEMO_FAILED_CATEGORY = 'shipping_status';
export const DEMO_FAILED_REASON =
  'Pilot failed: customers reopen after the AI quotes the carrier’s delivery estimate (reopen rate above baseline + 2 points, FCR below baseline); back to drafts an agent approves';
