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
