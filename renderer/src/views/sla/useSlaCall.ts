// Calls one SLA contract method and refetches when its input or the ledger changes.
import { useEffect, useState } from 'react';
import type { ContractError, MethodInput, MethodName, MethodOutput } from '../../../../shared/contract.ts';
import { getApi } from '../../api/index.ts';
import { useChain } from '../../state/chain.ts';

export interface CallState<T> {
  value: T | null;
  loading: boolean;
  error: ContractError | null;
}

export function useSlaCall<M extends MethodName>(method: M, input: MethodInput<M> | null): CallState<MethodOutput<M>> {
  const ledgerVersion = useChain((s) => s.ledgerVersion);
  const [state, setState] = useState<CallState<MethodOutput<M>>>({ value: null, loading: input !== null, error: null });
  const key = JSON.stringify(input);
  useEffect(() => {
    if (input === null) return;
    let cancelled = false;
    setState((s) => ({ ...s, loading: true, error: null }));
    const call = getApi()[method] as (input?: MethodInput<M>) => Promise<{ ok: true; value: MethodOutput<M> } | { ok: false; error: ContractError }>;
    void call(input).then((res) => {
      if (cancelled) return;
      setState(res.ok ? { value: res.value, loading: false, error: null } : { value: null, loading: false, error: res.error });
    });
    return () => {
      cancelled = true;
    };
    // `key` stands for `input`: refetch when its content changes, not its identity.
  }, [method, key, ledgerVersion]);
  return state;
}

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
