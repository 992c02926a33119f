import { readOffThread } from './read-thread.ts';
import type { CoreContext, FeatureHandlers } from './context.ts';

type AuditMethod = 'audit.gaps';

export function auditHandlers(ctx: CoreContext): FeatureHandlers<AuditMethod> {
  return {
    handlers: {
      // A read: the report never writes (a look never changes the record). It reads every session event in the range:
      // on a thread of its own, so the console keeps answering meanwhile.
      'audit.gaps': (input) => readOffThread(ctx.db, ctx.dbPath, 'audit.gaps', input),
    },
  };
}
