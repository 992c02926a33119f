// The auditor's screen: verify the chain and checkpoints, draw a reproducible sample of billed tickets and review
// it (notes as ledger events, disputes, receipts), see who signed what, export a pack, see the session gap report. Open to every role (reads);
// what a role may not do is disabled with the reason.
import { useState } from 'react';
import { useContractCall } from '../../hooks/useContractCall.ts';
import { ChainCheckPanel } from './ChainCheckPanel.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { GapsPanel } from './GapsPanel.tsx';
import { NotesPanel } from './NotesPanel.tsx';
import { SamplePanel } from './SamplePanel.tsx';
import { SignaturesPanel } from './SignaturesPanel.tsx';
import '../outcomes/outcomes.css';
import './audit.css';

export function AuditView() {
  const periods = useContractCall('outcomes.periods', {});
  const [period, setPeriod] = useState('');
  const list = periods.value ?? [];
  const chosen = period || list[0] || '';
  return (
    <main className="oc-view" data-testid="au-view">
      <div className="oc-columns">
        <div className="oc-main">
          <ChainCheckPanel />
          {list.length > 0 ? (
            <SamplePanel period={chosen} periods={list} onPeriod={setPeriod} />
          ) : (
            <p className="oc-muted" data-testid="au-no-periods">
              No statement periods yet: samples are drawn from a period’s billed tickets.
            </p>
          )}
          <SignaturesPanel />
        </div>
        <div className="oc-side">
          <ExportPanel period={chosen} />
          <NotesPanel period={chosen} />
          <GapsPanel />
        </div>
      </div>
    </main>
  );
}
