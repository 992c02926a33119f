// Calls one outcome-contract method and refetches when its input or the ledger changes.
import { useEffect, useState } from 'react';
import type { ContractError, MethodInput, MethodName, MethodOutput } from '../../../../shared/contract.ts';
import { getApi } from '../../api/index.ts';
import { useChain } from '../../state/chain.ts';

export interface CallState<T> {
  value: T | null;
  loading: boolean;
  error: ContractError | null;
}

type Call<M extends MethodName> = (input?: MethodInput<M>) => Promise<{ ok: true; value: MethodOutput<M> } | { ok: false; error: ContractError }>;

export function callApi<M extends MethodName>(method: M, input: MethodInput<M>) {
  return (getApi()[method] as Call<M>)(input);
}

export function useOutcomeCall<M extends MethodName>(method: M, input: MethodInput<M> | null, extraKey = 0): CallState<MethodOutput<M>> {
  const ledgerVersion = useChain((s) => s.ledgerVersion);
  const [state, setState] = useState<CallState<MethodOutput<M>>>({ value: null, loading: input !== null, error: null });
  const key = JSON.stringify(input);
  useEffect(() => {
    if (input === null) return;
    let cancelled = false;
    setState((s) => ({ ...s, loading: true, error: null }));
    void callApi(method, input).then((res) => {
      if (cancelled) return;
      setState(res.ok ? { value: res.value, loading: false, error: null } : { value: null, loading: false, error: res.error });
    });
    return () => {
      cancelled = true;
    };
    // `key` stands for `input`: refetch when its content changes, not its identity.
  }, [method, key, ledgerVersion, extraKey]);
  return state;
}

/** Age of something opened at `iso`, e.g. "3 d 4 h". */
export function age(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  return days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}
