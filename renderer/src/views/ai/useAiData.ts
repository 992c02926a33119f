// Loads one contract method's result and reloads it whenever the ledger changes (unless told not to: reading
// some results is itself recorded on the ledger — viewing the AI settings is an access event — and reloading
// those on every change would record a view nobody made, and then reload again on that record, forever).
import { useCallback, useEffect, useState } from 'react';
import { getApi } from '../../api/index.ts';
import type { Result } from '../../../../shared/contract.ts';

export function useAiData<T>(
  load: () => Promise<Result<T>>,
  deps: unknown[],
  options: { reloadOnLedgerChange?: boolean } = {},
): { data: T | null; error: string | null; reload: () => void } {
  const follow = options.reloadOnLedgerChange ?? true;
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
    if (follow) return getApi().subscribe('ledger.changed', reload);
  }, [reload, follow]);
  return { data, error, reload };
}
