import { categoryMode, listCategoryModes } from '../categories/category-modes.ts';
import { recordEvents } from '../derived/record-events.ts';
import { type CoreContext, type FeatureHandlers } from './context.ts';
import { emitLedgerChanged } from './ledger-changed.ts';
import { runSigned } from '../people/signatures.ts';

type CategoryMethod = 'categories.list' | 'categories.setMode';

export function categoryHandlers(ctx: CoreContext): FeatureHandlers<CategoryMethod> {
  return {
    handlers: {
      'categories.list': () => listCategoryModes(ctx.db),
      // Switching a category to auto (AI replies sent without review) is signed once the ledger has accounts.
      'categories.setMode': async (input, caller) => {
        const row = await runSigned(ctx.db, ctx.writes.turnOn(ctx.db), caller, input.signature, 'category mode change', () => {
          let signed: number | null = null;
          if (categoryMode(ctx.db, input.category) !== input.mode) {
            const [recorded] = recordEvents(ctx.db, [
              { type: 'category.mode', at: new Date().toISOString(), actor: caller.actor, category: input.category, mode: input.mode, reason: input.reason },
            ]);
            signed = recorded!.seq;
          }
          const value = listCategoryModes(ctx.db).find((mode) => mode.category === input.category)!;
          return { value, signed, needsSignature: input.mode === 'auto' };
        });
        emitLedgerChanged(ctx);
        return row;
      },
    },
  };
}
