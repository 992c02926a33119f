import { z } from 'zod';
import { signatureInputSchema } from './people.ts';
import { CATEGORY_MODES, type CategoryMode } from '../domain.ts';

export interface CategoryModeRow {
  category: string;
  mode: CategoryMode;
  changedAt: string | null;
  changedBy: string | null;
  reason: string | null;
  /** The ledger event that set the current mode. */
  seq: number | null;
  tickets: number;
}

export const categoryInputs = {
  'categories.list': z.object({}).strict().default({}),
  'categories.setMode': z
    .object({
      category: z.string().min(1).max(200),
      mode: z.enum(CATEGORY_MODES),
      reason: z.string().trim().min(1, 'say why the mode changes').max(2000),
      /** Required to switch a category to auto when the ledger has accounts. */
      signature: signatureInputSchema.optional(),
    })
    .strict(),
} as const;

export interface CategoryOutputs {
  'categories.list': CategoryModeRow[];
  'categories.setMode': CategoryModeRow;
}
