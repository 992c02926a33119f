import { ImportButton } from './ImportButton.tsx';
import { SessionBadge } from './SessionBadge.tsx';
import { ViewTabs } from './ViewTabs.tsx';

export function Header() {
  return (
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
      </div>
    </header>
  );
}
