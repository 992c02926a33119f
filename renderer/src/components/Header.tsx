import { useAuth } from '../state/auth.ts';
import { FirstAdminOffer } from '../views/people/FirstAdminOffer.tsx';
import { ImportButton } from './ImportButton.tsx';
import { SessionBadge } from './SessionBadge.tsx';
import { SkipLink } from './SkipLink.tsx';
import { ViewTabs } from './ViewTabs.tsx';

export function Header() {
  const mode = useAuth((s) => s.auth?.mode);
  const signOut = useAuth((s) => s.signOut);
  return (
    <>
      <SkipLink />
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">◆</span>
          <span className="brand-name">Attest</span>
          <span className="brand-sub">ticket ledger audit</span>
        </div>
        <ViewTabs />
        <SessionBadge />
        <div className="topbar-actions">
          <ImportButton />
          {mode === 'accounts' && (
            <button type="button" className="button" onClick={() => void signOut()} data-testid="sign-out">
              Sign out
            </button>
          )}
        </div>
      </header>
      {mode === 'single-user' && <FirstAdminOffer />}
    </>
  );
}
