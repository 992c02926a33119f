// The KPI views call the contract through the shared hook.
export { callApi, useContractCall as useKpiCall, type CallState } from '../../hooks/useContractCall.ts';
