// Calls one contract method and refetches when its input (by content) or the ledger changes.
import { useEffect, useState } from 'react';
import type { ContractError, MethodInput, MethodName, MethodOutput, Result } from '../../../shared/contract.ts';
import { getApi } from '../api/index.ts';
import { useChain } from '../state/chain.ts';

export interface CallState<T> {
  value: T | null;
  loading: boolean;
  error: ContractError | null;
}

type Call<M extends MethodName> = (input?: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;

export function callApi<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
  return (getApi()[method] as Call<M>)(input);
}

/** `input: null` means "not yet": nothing is fetched. `extraKey` forces a refetch when it changes. */
export function useContractCall<M extends MethodName>(method: M, input: MethodInput<M> | null, extraKey = 0): CallState<MethodOutput<M>> {
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
