// A write on accounts: runs it, reports the core's sentence on failure, refreshes views on success.
import { useState } from 'react';
import type { Result } from '../../../../shared/contract.ts';
import { useChain } from '../../state/chain.ts';

export function usePeopleWrite() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function run<T>(call: () => Promise<Result<T>>, success: string): Promise<T | null> {
    setBusy(true);
    setError(null);
    setDone(null);
    const res = await call();
    setBusy(false);
    if (!res.ok) {
      setError([res.error.message, ...(res.error.details ?? []).filter((d) => d !== res.error.message)].join(' — '));
      return null;
    }
    setDone(success);
    useChain.getState().ledgerChanged();
    return res.value;
  }
  return { busy, error, done, run };
}
