// The console's top-level views, in tab order. A feature adds its view with one entry here.
import type { ComponentType } from 'react';
import { QueueView } from './QueueView.tsx';
import { KpisView } from './kpis/KpisView.tsx';
import { SlaView } from './sla/SlaView.tsx';
import { AiView } from './ai/AiView.tsx';
import { OutcomesView } from './outcomes/OutcomesView.tsx';
import { ImportsView } from './imports/ImportsView.tsx';

export interface ViewEntry {
  id: string;
  label: string;
  Component: ComponentType;
}

export const VIEWS: ViewEntry[] = [{ id: 'queue', label: 'Tickets', Component: QueueView }, { id: 'sla', label: 'SLA', Component: SlaView }, { id: 'ai', label: 'AI', Component: AiView }, { id: 'outcomes', label: 'Outcomes', Component: OutcomesView }, { id: 'imports', label: 'Imports', Component: ImportsView }, { id: 'kpis', label: 'KPIs', Component: KpisView }];
