import { categoryMode, listCategoryModes } from '../categories/category-modes.ts';
import { recordEvents } from '../derived/record-events.ts';
import { EVERYONE, SUPERVISORS, type CoreContext, type FeatureHandlers } from './context.ts';

type CategoryMethod = 'categories.list' | 'categories.setMode';

export function categoryHandlers(ctx: CoreContext): FeatureHandlers<CategoryMethod> {
  return {
    handlers: {
      'categories.list': () => listCategoryModes(ctx.db),
      'categories.setMode': (input) => {
        if (categoryMode(ctx.db, input.category) !== input.mode) {
          recordEvents(ctx.db, [
            { type: 'category.mode', at: new Date().toISOString(), actor: ctx.user, category: input.category, mode: input.mode, reason: input.reason },
          ]);
          const head = ctx.db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
          ctx.emit('ledger.changed', { eventCount: head.seq, headHash: head.hash });
        }
        return listCategoryModes(ctx.db).find((row) => row.category === input.category)!;
      },
    },
    allowed: { 'categories.list': EVERYONE, 'categories.setMode': SUPERVISORS },
  };
}
