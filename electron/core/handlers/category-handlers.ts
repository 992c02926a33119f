import { categoryMode, listCategoryModes } from '../categories/category-modes.ts';
import { recordEvents } from '../derived/record-events.ts';
import { type CoreContext, type FeatureHandlers } from './context.ts';
import { emitLedgerChanged } from './ledger-changed.ts';

type CategoryMethod = 'categories.list' | 'categories.setMode';

export function categoryHandlers(ctx: CoreContext): FeatureHandlers<CategoryMethod> {
  return {
    handlers: {
      'categories.list': () => listCategoryModes(ctx.db),
      'categories.setMode': (input, caller) => {
        if (categoryMode(ctx.db, input.category) !== input.mode) {
          recordEvents(ctx.db, [
            { type: 'category.mode', at: new Date().toISOString(), actor: caller.actor, category: input.category, mode: input.mode, reason: input.reason },
          ]);
          emitLedgerChanged(ctx);
        }
        return listCategoryModes(ctx.db).find((row) => row.category === input.category)!;
      },
    },
  };
}
