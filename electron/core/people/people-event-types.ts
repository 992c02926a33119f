// Ledger-wide events about people: accounts, the access log and electronic signatures. All are written only by
// Attest (a file may carry them only as exact lines of a whole export restored into an empty ledger), so nobody
// can add an account, a sign-in or a signature by importing a file. No password hash is ever in a payload.
import { z } from 'zod';
import { ROLES, SIGNATURE_MEANINGS } from '../../../shared/domain.ts';
import type { EventTypeSpec } from '../ledger/event-types/types.ts';
import { accountNameSchema, displayNameSchema } from '../../../shared/contracts/people.ts';
import { signatureRules } from './signature-rules.ts';

const account = accountNameSchema;
const via = z.enum(['electron', 'browser', 'cli']);
const credentialSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 hex digest of the password hash');

const own = (payload: z.ZodType<Record<string, unknown>>): EventTypeSpec => ({ scope: 'ledger', writtenBy: 'attest', actedBy: 'person', payload });

export const PEOPLE_EVENT_TYPES: Record<string, EventTypeSpec> = {
  // The ledger leaves single-user mode for good: from here on every person's act names an account.
  'accounts.required': { scope: 'ledger', writtenBy: 'attest', payload: z.object({ firstAccount: account }).strict() },
  // `credential`: SHA-256 of the password hash set with it (people/passwords.ts credentialDigest), never the hash.
  'account.created': own(z.object({ account, display: displayNameSchema, role: z.enum(ROLES), credential: credentialSchema.optional() }).strict()),
  'account.roleChanged': own(z.object({ account, role: z.enum(ROLES), previous: z.enum(ROLES) }).strict()),
  'account.disabled': own(z.object({ account }).strict()),
  'account.enabled': own(z.object({ account }).strict()),
  // That the password changed, and by whom (the person, or an admin resetting it) — never the hash.
  'account.passwordChanged': own(z.object({ account, reset: z.boolean(), credential: credentialSchema.optional() }).strict()),
  'people.idleMinutes': own(z.object({ minutes: z.number().int().min(1).max(1440) }).strict()),

  'access.login': own(z.object({ account, via }).strict()),
  // A failed sign-in names the account when the name was one; the actor is the system (nobody proved who it was).
  'access.loginFailed': {
    scope: 'ledger',
    writtenBy: 'attest',
    payload: z.object({ name: z.string().min(1).max(100), account: account.optional(), reason: z.enum(['unknown', 'password', 'disabled', 'locked']), via }).strict(),
  },
  'access.lockout': { scope: 'ledger', writtenBy: 'attest', payload: z.object({ account, until: z.string().min(1), failures: z.number().int().min(1) }).strict() },
  'access.logout': own(z.object({ account, via, reason: z.enum(['signed out', 'locked']) }).strict()),
  'access.expired': { scope: 'ledger', writtenBy: 'attest', payload: z.object({ account, via, idleMinutes: z.number().int().min(1) }).strict() },
  'access.export': own(z.object({ account, via, what: z.string().min(1), file: z.string().optional(), headSeq: z.number().int().min(0) }).strict()),
  'access.pack': own(z.object({ account, via, what: z.string().min(1), file: z.string().optional(), headSeq: z.number().int().min(0) }).strict()),
  'access.settingsViewed': own(z.object({ account, via, settings: z.string().min(1) }).strict()),

  // An electronic signature: linked to the signed event by its sequence number and hash, never copied onto it.
  signature: {
    ...own(
      z
        .object({
          signedSeq: z.number().int().min(1),
          signedHash: z.string().regex(/^[0-9a-f]{64}$/),
          meaning: z.enum(SIGNATURE_MEANINGS),
          reason: z.string().min(1),
        })
        .strict(),
    ),
    rules: signatureRules,
  },
};
