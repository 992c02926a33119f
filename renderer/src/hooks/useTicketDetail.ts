import { useEffect, useState } from 'react';
import type { ContractError, TicketDetail } from '../../../shared/contract.ts';
import { getApi } from '../api/index.ts';

export interface DetailState {
  detail: TicketDetail | null;
  loading: boolean;
  error: ContractError | null;
}

export function useTicketDetail(id: string | null, ledgerVersion: number): DetailState {
  const [state, setState] = useState<DetailState>({ detail: null, loading: false, error: null });

  useEffect(() => {
    if (!id) {
      setState({ detail: null, loading: false, error: null });
      return;
    }
    let cancelled = false;
    // Keep showing the same ticket while it refreshes after a ledger change.
    setState((s) => ({ detail: s.detail?.ticket.id === id ? s.detail : null, loading: true, error: null }));
    void getApi()
      ['tickets.get']({ id })
      .then((res) => {
        if (cancelled) return;
        if (res.ok) setState({ detail: res.value, loading: false, error: null });
        else setState({ detail: null, loading: false, error: res.error });
      });
    return () => {
      cancelled = true;
    };
  }, [id, ledgerVersion]);

  return state;
}
