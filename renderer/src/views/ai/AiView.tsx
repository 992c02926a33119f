import { useState } from 'react';
import { GapsPanel } from './GapsPanel.tsx';
import { HealthPanel } from './HealthPanel.tsx';
import { KbPanel } from './KbPanel.tsx';
import { ResolvePanel } from './ResolvePanel.tsx';
import { ReviewQueue } from './ReviewQueue.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';
import './ai.css';

export function AiView() {
  // Bumped after the settings are saved so the health check runs again against the new host and model.
  const [healthCheck, setHealthCheck] = useState(0);
  return (
    <div className="ai-view" data-testid="ai-view">
      <div className="ai-column">
        <HealthPanel check={healthCheck} />
        <SettingsPanel onSaved={() => setHealthCheck((n) => n + 1)} />
        <ResolvePanel />
        <GapsPanel />
      </div>
      <div className="ai-column ai-wide">
        <ReviewQueue />
        <KbPanel />
      </div>
    </div>
  );
}
