import { GapsPanel } from './GapsPanel.tsx';
import { HealthPanel } from './HealthPanel.tsx';
import { ResolvePanel } from './ResolvePanel.tsx';
import { ReviewQueue } from './ReviewQueue.tsx';
import './ai.css';

export function AiView() {
  return (
    <div className="ai-view" data-testid="ai-view">
      <div className="ai-column">
        <HealthPanel />
        <ResolvePanel />
        <GapsPanel />
      </div>
      <div className="ai-column ai-wide">
        <ReviewQueue />
      </div>
    </div>
  );
}
