// The organization's settings: its name, the AI's signature and the AI disclosure text. Recorded in the ledger
// (`organization.settings`, with a reason) and read by the prompts, the AI's replies, knowledge search and reports.
import { z } from 'zod';

export const ORGANIZATION_NAME_MAX = 200;
export const AI_SIGNATURE_MAX = 500;
/** A disclosure must say something: a customer cannot be told an AI wrote the reply in fewer characters. */
export const AI_DISCLOSURE_MIN = 10;
export const AI_DISCLOSURE_MAX = 500;

/** Empty text means "not set" (null). */
const optionalText = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((value) => (value ? value : null))
    .refine((value) => value === null || value.length >= min, { message: `must be at least ${min} characters, or empty` });

export const organizationInputs = {
  'organization.settings': z.object({}).strict().default({}),
  'organization.configure': z
    .object({
      name: optionalText(ORGANIZATION_NAME_MAX),
      aiSignature: optionalText(AI_SIGNATURE_MAX),
      aiDisclosure: optionalText(AI_DISCLOSURE_MAX, AI_DISCLOSURE_MIN),
      reason: z.string().trim().min(1, 'say why the settings change').max(2000),
    })
    .strict(),
} as const;

export interface OrganizationSettingsView {
  /** The organization's name; null: not set (the console says so; prompts say "the company"). */
  name: string | null;
  /** The line the AI signs its replies with, above the disclosure; null: no signature. */
  aiSignature: string | null;
  /** The disclosure as set; null: the product's own text is used. */
  aiDisclosure: string | null;
  /** The disclosure every AI reply ends with now (the setting, else the product's own text). */
  effectiveDisclosure: string;
  /** The product's own disclosure text, used when none is set. */
  defaultDisclosure: string;
  /** Who recorded the current settings, when and why; null: never set. */
  recorded: { by: string; at: string; reason: string; seq: number } | null;
}

export interface OrganizationOutputs {
  'organization.settings': OrganizationSettingsView;
  'organization.configure': OrganizationSettingsView;
}
