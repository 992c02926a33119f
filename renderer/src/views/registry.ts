// The console's top-level views, in tab order. A feature adds its view with one entry here.
import type { ComponentType } from 'react';
import { QueueView } from './QueueView.tsx';

export interface ViewEntry {
  id: string;
  label: string;
  Component: ComponentType;
}

export const VIEWS: ViewEntry[] = [{ id: 'queue', label: 'Tickets', Component: QueueView }];
