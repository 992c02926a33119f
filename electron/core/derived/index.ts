// Every projection derived from the ledger besides the ticket tables. A feature adds its own here.
import { categoryModesProjection } from '../categories/category-modes.ts';
import { aiRunsProjection } from '../ai/ai-repository.ts';
import { kbProjection } from '../kb/kb-repository.ts';
import type { DerivedProjection } from './derived-projection.ts';
import { kpiProjection } from '../kpis/kpi-repository.ts';
import { importFlagsProjection } from '../importers/import-repository.ts';
import { slaProjection } from '../sla/sla-projection.ts';
import { outcomeProjection } from '../outcomes/outcome-repository.ts';

export const DERIVED_PROJECTIONS: readonly DerivedProjection[] = [categoryModesProjection, slaProjection, kbProjection, aiRunsProjection, importFlagsProjection, outcomeProjection, kpiProjection];
