// The console's top-level views, in tab order. A feature adds its view with one entry here.
import type { ComponentType } from 'react';
import { QueueView } from './QueueView.tsx';
import { KpisView } from './kpis/KpisView.tsx';
import { SlaView } from './sla/SlaView.tsx';
import { AiView } from './ai/AiView.tsx';
import { OutcomesView } from './outcomes/OutcomesView.tsx';
import { ImportsView } from './imports/ImportsView.tsx';
import { AccessLogView } from './people/AccessLogView.tsx';
import { PeopleView } from './people/PeopleView.tsx';
import { AuditView } from './audit/AuditView.tsx';
import type { MethodName } from '../../../shared/contract.ts';

export interface ViewEntry {
  id: string;
  label: string;
  Component: ComponentType;
  /** The method the view exists to show: its tab is disabled, with the reason, for roles that may not call it. */
  requires?: MethodName;
}

export const VIEWS: ViewEntry[] = [{ id: 'queue', label: 'Tickets', Component: QueueView }, { id: 'sla', label: 'SLA', Component: SlaView }, { id: 'ai', label: 'AI', Component: AiView }, { id: 'outcomes', label: 'Outcomes', Component: OutcomesView }, { id: 'audit', label: 'Audit', Component: AuditView }, { id: 'imports', label: 'Imports', Component: ImportsView }, { id: 'kpis', label: 'KPIs', Component: KpisView }, { id: 'people', label: 'People', Component: PeopleView }, { id: 'access', label: 'Access log', Component: AccessLogView, requires: 'access.log' }];
