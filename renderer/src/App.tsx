import { useEffect } from 'react';
import { getApi } from './api/index.ts';
import { ErrorBanner } from './components/ErrorBanner.tsx';
import { Header } from './components/Header.tsx';
import { ImportResult } from './components/ImportResult.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { WriteQueueNotice } from './components/WriteQueueNotice.tsx';
import { selectLoaded, useBoot } from './state/boot.ts';
import { useChain } from './state/chain.ts';
import { useNavigation } from './state/navigation.ts';
import { useSession } from './state/session.ts';
import { VIEWS } from './views/registry.ts';

export function App() {
  const loaded = useBoot(selectLoaded);
  const appState = loaded ? 'loaded' : 'loading';
  const view = useNavigation((s) => s.view);
  const Current = (VIEWS.find((entry) => entry.id === view) ?? VIEWS[0]!).Component;

  useEffect(() => {
    const { markDone } = useBoot.getState();
    void useSession.getState().loadSession().finally(() => markDone('session'));
    void useSession.getState().loadFacets().finally(() => markDone('facets'));
    void useChain.getState().refresh().finally(() => markDone('chain'));
    const api = getApi();
    const unsubscribeLedger = api.subscribe('ledger.changed', () => useChain.getState().ledgerChanged());
    // The monitor pushes its progress and verdicts; the status bar never asks for a fresh verification itself.
    const unsubscribeChain = api.subscribe('chain.status', (monitor) => useChain.getState().received(monitor));
    return () => {
      unsubscribeLedger();
      unsubscribeChain();
    };
  }, []);

  // Mirror the state on #root too, so tooling can wait on it whatever element it inspects.
  useEffect(() => {
    document.getElementById('root')?.setAttribute('data-app-state', appState);
  }, [appState]);

  return (
    <div className="app" data-testid="app" data-app-state={appState} aria-busy={!loaded}>
      <Header />
      <ErrorBanner />
      <ImportResult />
      <WriteQueueNotice />
      <div className="view-host" data-testid="view-host" data-view={view}>
        <Current />
      </div>
      <StatusBar />
    </div>
  );
}
