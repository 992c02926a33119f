import { sessionGapReport } from '../audit/session-gaps.ts';
import type { CoreContext, FeatureHandlers } from './context.ts';

type AuditMethod = 'audit.gaps';

export function auditHandlers(ctx: CoreContext): FeatureHandlers<AuditMethod> {
  return {
    handlers: {
      // A read: the report never writes (a look never changes the record).
      'audit.gaps': (input) => sessionGapReport(ctx.db, input),
    },
  };
}
