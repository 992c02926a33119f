// The outcome-contract views call the contract through the shared hook.
export { callApi, useContractCall as useOutcomeCall, type CallState } from '../../hooks/useContractCall.ts';

/** Age of something opened at `iso`, e.g. "3 d 4 h". */
export function age(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  return days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}
