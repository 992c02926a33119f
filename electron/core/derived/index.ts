// Every projection derived from the ledger besides the ticket tables. A feature adds its own here.
import { categoryModesProjection } from '../categories/category-modes.ts';
import type { DerivedProjection } from './derived-projection.ts';

export const DERIVED_PROJECTIONS: readonly DerivedProjection[] = [categoryModesProjection];
