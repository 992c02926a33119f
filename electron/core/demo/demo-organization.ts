// The demo's organization as its admin would record it (an `organization.settings` event at the demo's start):
// the fictional "Kestrel Home". Production code names no company; these values live only here and in the demo's
// ledger, and the demo's AI replies end with this signature and disclosure like a live pipeline's would.
import type { ReplyClosing } from '../ai/disclosure.ts';
import type { OrganizationSettings } from '../organization/organization-settings.ts';

export const DEMO_ORGANIZATION: OrganizationSettings = {
  name: 'Kestrel Home',
  aiSignature: 'Kestrel Home Support',
  aiDisclosure: "— This reply was written by Kestrel Home's AI assistant. Ask for a person at any time and a colleague takes over.",
};

export const DEMO_ORGANIZATION_REASON = 'Company name, AI signature and disclosure wording for the customer-facing pilot';

export const DEMO_REPLY_CLOSING: ReplyClosing = { signature: DEMO_ORGANIZATION.aiSignature, disclosure: DEMO_ORGANIZATION.aiDisclosure! };
