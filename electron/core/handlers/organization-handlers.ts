// The organization's settings in the console: read by everyone, changed (with a reason) by supervisors and admins.
// A change is an `organization.settings` ledger event; the service runs it through the write gate (SYNC_WRITES).
import { recordEvents } from '../derived/record-events.ts';
import { organizationSettingsLine, organizationSettingsView } from '../organization/organization-settings.ts';
import type { CoreContext, FeatureHandlers } from './context.ts';
import { emitLedgerChanged } from './ledger-changed.ts';

type OrganizationMethod = 'organization.settings' | 'organization.configure';

export function organizationHandlers(ctx: CoreContext): FeatureHandlers<OrganizationMethod> {
  return {
    handlers: {
      'organization.settings': () => organizationSettingsView(ctx.db),
      'organization.configure': (input, caller) => {
        const settings = { name: input.name, aiSignature: input.aiSignature, aiDisclosure: input.aiDisclosure };
        recordEvents(ctx.db, [organizationSettingsLine(settings, input.reason, caller.actor, new Date().toISOString())]);
        emitLedgerChanged(ctx);
        return organizationSettingsView(ctx.db);
      },
    },
  };
}
