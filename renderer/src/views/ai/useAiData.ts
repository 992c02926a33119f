// Loads one contract method's result and reloads it whenever the ledger changes.
import { useCallback, useEffect, useState } from 'react';
import { getApi } from '../../api/index.ts';
import type { Result } from '../../../../shared/contract.ts';

export function useAiData<T>(load: () => Promise<Result<T>>, deps: unknown[]): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    void run().then((result) => {
      if (result.ok) {
        setData(result.value);
        setError(null);
      } else setError(result.error.message);
    });
  }, [run]);
  useEffect(() => {
    reload();
    return getApi().subscribe('ledger.changed', reload);
  }, [reload]);
  return { data, error, reload };
}
