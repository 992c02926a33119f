import { Suspense, useEffect } from 'react';
import { getApi } from './api/index.ts';
import { ErrorBanner } from './components/ErrorBanner.tsx';
import { Header } from './components/Header.tsx';
import { ImportResult } from './components/ImportResult.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { TeamBanner } from './components/TeamBanner.tsx';
import { WriteQueueNotice } from './components/WriteQueueNotice.tsx';
import { AUTH_POLL_MS, useAuth } from './state/auth.ts';
import { selectLoaded, useBoot } from './state/boot.ts';
import { useChain } from './state/chain.ts';
import { useErrors } from './state/errors.ts';
import { useNavigation } from './state/navigation.ts';
import { startHashRouting } from './state/route.ts';
import { useSession } from './state/session.ts';
import { MAIN_CONTENT_ID } from './components/SkipLink.tsx';
import { RefusalNote } from './components/RefusalNote.tsx';
import { useMayDo } from './hooks/useMayDo.ts';
import { SignInScreen } from './views/people/SignInScreen.tsx';
import { VIEWS } from './views/registry.ts';

/** The console starts at auth.state: a sign-in screen on a ledger with accounts until someone signs in. */
export function App() {
  const phase = useAuth((s) => s.phase);
  const problem = useAuth((s) => s.problem);

  useEffect(() => {
    void useAuth.getState().refresh();
    // A slow poll: an idle console returns to sign-in once the core ended its session (auth.state does not
    // count as activity, so polling never keeps a session alive).
    const poll = setInterval(() => void useAuth.getState().refresh(), AUTH_POLL_MS);
    return () => clearInterval(poll);
  }, []);

  useEffect(() => {
    document.getElementById('root')?.setAttribute('data-auth', phase);
  }, [phase]);

  if (phase === 'console') return <Console />;
  if (phase === 'sign-in') return <SignInScreen />;
  if (phase === 'unreachable') {
    return (
      <main className="signin" data-testid="auth-problem">
        <p className="notice notice-error" role="alert">{problem}</p>
      </main>
    );
  }
  return <main className="signin muted" data-testid="auth-checking" aria-busy="true">Connecting…</main>;
}

/** Mounted only for a signed-in person (or in single-user mode); unmounting on sign-out closes its event stream. */
function Console() {
  const loaded = useBoot(selectLoaded);
  const appState = loaded ? 'loaded' : 'loading';
  const view = useNavigation((s) => s.view);
  const entry = VIEWS.find((candidate) => candidate.id === view) ?? VIEWS[0]!;
  const Current = entry.Component;
  // A link may name a view this role may not open: say why instead of showing a view that would fail.
  const permission = useMayDo(...(entry.requires ? [entry.requires] : []));

  // The view, filters and the open ticket live in the URL fragment: links restore them, Back / Forward move.
  useEffect(() => startHashRouting(VIEWS.map((candidate) => candidate.id)), []);

  useEffect(() => {
    const { markDone } = useBoot.getState();
    void useSession.getState().loadSession().finally(() => markDone('session'));
    void useSession.getState().loadFacets().finally(() => markDone('facets'));
    void useChain.getState().refresh().finally(() => markDone('chain'));
    const api = getApi();
    const unsubscribeLedger = api.subscribe('ledger.changed', () => {
      useChain.getState().ledgerChanged();
      // An import (here, from the CLI or a team peer) may bring new categories and channels: the filters learn them.
      void useSession.getState().loadFacets();
    });
    // The monitor pushes its progress and verdicts; the status bar never asks for a fresh verification itself.
    const unsubscribeChain = api.subscribe('chain.status', (monitor) => useChain.getState().received(monitor));
    return () => {
      unsubscribeLedger();
      unsubscribeChain();
      // Errors of the last person's session are not the next person's.
      useErrors.getState().dismissAll();
    };
  }, []);

  // Mirror the state on #root too, so tooling can wait on it whatever element it inspects.
  useEffect(() => {
    document.getElementById('root')?.setAttribute('data-app-state', appState);
    return () => document.getElementById('root')?.removeAttribute('data-app-state');
  }, [appState]);

  return (
    <div className="app" data-testid="app" data-app-state={appState} aria-busy={!loaded}>
      <Header />
      <TeamBanner />
      <ErrorBanner />
      <ImportResult />
      <WriteQueueNotice />
      <div className="view-host" data-testid="view-host" data-view={view} id={MAIN_CONTENT_ID} tabIndex={-1}>
        {permission.allowed ? (
          <Suspense fallback={<p role="status">Loading {entry.label}…</p>}>
            <Current />
          </Suspense>
        ) : (
          <main className="view-refused" aria-label={entry.label} data-testid="view-refused">
            <RefusalNote permission={permission} />
          </main>
        )}
      </div>
      <StatusBar />
    </div>
  );
}
