// The SLA views call the contract through the shared hook.
export { callApi, useContractCall as useSlaCall, type CallState } from '../../hooks/useContractCall.ts';

export const METRIC_LABELS = {
  first_reply: 'First reply',
  next_reply: 'Next reply',
  periodic_update: 'Periodic update',
  requester_wait: 'Requester wait',
  agent_work: 'Agent work',
  total_resolution: 'Total resolution',
} as const;

export function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

export function countdown(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
