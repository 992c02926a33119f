// People: accounts, sign-in, the access log and electronic signatures.
import { z } from 'zod';
import { ROLES, SIGNATURE_MEANINGS, type Role, type SignatureMeaning } from '../domain.ts';

/** Login names: lower case, start with a letter; they become the actor id "acct:<name>" and never change. */
export const accountNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9._-]{1,39}$/, 'use 2–40 lower-case letters, digits, ".", "_" or "-", starting with a letter');
export const displayNameSchema = z.string().trim().min(2, 'the printed name needs at least 2 characters').max(120);
export const passwordSchema = z.string().min(1, 'a password is required').max(1024);

/** A person with an account, as the console and the ledger name them. */
export interface Person {
  /** The login name. */
  account: string;
  /** The actor id on the ledger: "acct:<account>". */
  id: string;
  /** The printed name shown with every act and signature. */
  display: string;
  role: Role;
}

export interface AccountRow extends Person {
  enabled: boolean;
  createdAt: string;
  createdBy: string;
  /** Locked after repeated failed sign-ins until this time (null when not locked). */
  lockedUntil: string | null;
  lastLoginAt: string | null;
}

export interface DemoAccount {
  account: string;
  display: string;
  role: Role;
  password: string;
}

export interface AuthState {
  /** 'single-user': the ledger has no accounts; nobody signs in and acts are recorded as the OS user. */
  mode: 'single-user' | 'accounts';
  /** Who this session acts as: the signed-in person, or the operating-system user in single-user mode. */
  person: Person | null;
  /** Minutes of inactivity after which a session ends (an admin sets it). */
  idleMinutes: number;
  /** Demo databases only: the demo accounts whose password is still the published demo password. */
  demoAccounts: DemoAccount[];
}

export const ACCESS_EVENT_TYPES = [
  'access.login',
  'access.loginFailed',
  'access.lockout',
  'access.logout',
  'access.expired',
  'access.export',
  'access.pack',
  'access.settingsViewed',
] as const;
export type AccessEventType = (typeof ACCESS_EVENT_TYPES)[number];

export interface AccessLogRow {
  seq: number;
  type: AccessEventType;
  at: string;
  /** The account concerned (null: a failed sign-in with an unknown name). */
  account: string | null;
  /** Printed name of the person when known. */
  display: string | null;
  /** What the adapter was: electron, browser, cli. */
  via: string | null;
  detail: string;
}

export interface AccessLogPage {
  total: number;
  rows: AccessLogRow[];
}

export interface SignatureRow {
  seq: number;
  at: string;
  signer: string;
  display: string;
  meaning: SignatureMeaning;
  reason: string;
  /** The signed event. */
  signedSeq: number;
  signedHash: string;
  signedType: string;
  /** The signed event still holds the hash the signature names. */
  valid: boolean;
}

const empty = z.object({}).strict().default({});
const newPassword = z.string().min(1).max(1024);

export const peopleInputs = {
  'auth.state': empty,
  'auth.login': z.object({ name: z.string().min(1).max(100), password: passwordSchema }).strict(),
  'auth.logout': empty,
  'users.list': empty,
  'users.add': z.object({ name: accountNameSchema, display: displayNameSchema, role: z.enum(ROLES), password: newPassword }).strict(),
  'users.setRole': z.object({ name: accountNameSchema, role: z.enum(ROLES) }).strict(),
  'users.disable': z.object({ name: accountNameSchema }).strict(),
  'users.enable': z.object({ name: accountNameSchema }).strict(),
  /** Your own password (give the current one), or an admin resetting another person's. */
  'users.setPassword': z.object({ name: accountNameSchema, password: newPassword, currentPassword: passwordSchema.optional() }).strict(),
  'access.log': z
    .object({
      types: z.array(z.enum(ACCESS_EVENT_TYPES)).max(ACCESS_EVENT_TYPES.length).default([]),
      account: z.string().max(100).default(''),
      from: z.string().max(40).optional(),
      to: z.string().max(40).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  'people.setIdleMinutes': z.object({ minutes: z.number().int().min(1).max(24 * 60) }).strict(),
} as const;

export interface PeopleOutputs {
  'auth.state': AuthState;
  'auth.login': AuthState;
  'auth.logout': AuthState;
  'users.list': AccountRow[];
  'users.add': AccountRow;
  'users.setRole': AccountRow;
  'users.disable': AccountRow;
  'users.enable': AccountRow;
  'users.setPassword': AccountRow;
  'access.log': AccessLogPage;
  'people.setIdleMinutes': AuthState;
}

export type { SignatureMeaning };
export { SIGNATURE_MEANINGS };

/**
 * An electronic signature given with an act that requires one (21 CFR 11.50, 11.200): the signer's password
 * again, what the signature means, and why. The core checks the password of the signed-in person.
 */
export const signatureInputSchema = z
  .object({
    password: passwordSchema,
    meaning: z.enum(SIGNATURE_MEANINGS),
    reason: z.string().trim().min(1, 'say why you sign').max(2000),
  })
  .strict();
export type SignatureInput = z.infer<typeof signatureInputSchema>;

/** The core's answer (invalid_input) to an act that needs a signature given without one: the console then asks for it. */
export const SIGNATURE_NEEDED = 'this act needs your electronic signature: password, meaning, reason';
