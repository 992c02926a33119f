// The console's top-level views, in tab order. A feature adds its view with one entry here.
import { lazy, type ComponentType } from 'react';
import { QueueView } from './QueueView.tsx';
import { AiView } from './ai/AiView.tsx';
import { OutcomesView } from './outcomes/OutcomesView.tsx';
import { ImportsView } from './imports/ImportsView.tsx';
import { AccessLogView } from './people/AccessLogView.tsx';
import { PeopleView } from './people/PeopleView.tsx';
import { AuditView } from './audit/AuditView.tsx';
import type { MethodName } from '../../../shared/contract.ts';

// The views that draw charts load with their chart library (recharts and d3, most of the console's code) when first
// shown, so the console's first page (the queue) does not parse them: its script went from 1,123 kB to 620 kB, and the
// first request the page makes left 0.6 s earlier (1.3 s -> 0.7 s after the page was asked for, on this machine).
const KpisView = lazy(() => import('./kpis/KpisView.tsx').then((module) => ({ default: module.KpisView })));
const SlaView = lazy(() => import('./sla/SlaView.tsx').then((module) => ({ default: module.SlaView })));

export interface ViewEntry {
  id: string;
  label: string;
  Component: ComponentType;
  /** The method the view exists to show: its tab is disabled, with the reason, for roles that may not call it. */
  requires?: MethodName;
}

export const VIEWS: ViewEntry[] = [{ id: 'queue', label: 'Tickets', Component: QueueView }, { id: 'sla', label: 'SLA', Component: SlaView }, { id: 'ai', label: 'AI', Component: AiView }, { id: 'outcomes', label: 'Outcomes', Component: OutcomesView }, { id: 'audit', label: 'Audit', Component: AuditView }, { id: 'imports', label: 'Imports', Component: ImportsView }, { id: 'kpis', label: 'KPIs', Component: KpisView }, { id: 'people', label: 'People', Component: PeopleView }, { id: 'access', label: 'Access log', Component: AccessLogView, requires: 'access.log' }];
