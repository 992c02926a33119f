// Calls one KPI contract method and refetches when its input or the ledger changes.
import { useEffect, useState } from 'react';
import type { ContractError, MethodInput, MethodName, MethodOutput } from '../../../../shared/contract.ts';
import { getApi } from '../../api/index.ts';
import { useChain } from '../../state/chain.ts';

export interface CallState<T> {
  value: T | null;
  loading: boolean;
  error: ContractError | null;
}

export function useKpiCall<M extends MethodName>(method: M, input: MethodInput<M> | null): CallState<MethodOutput<M>> {
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
