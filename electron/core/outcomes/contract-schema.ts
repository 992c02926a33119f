// An outcome contract version: the JSON file a buyer imports, and the payload of the `contract.version` event.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { SLA_METRICS } from '../../../shared/contracts/sla.ts';
import { currencyDigits, MoneyError, toMinor } from './money.ts';
import { parseCosignerKey } from '../checkpoints/cosignature.ts';
import { NoteFormatError } from '../checkpoints/signed-note.ts';

/** A cosigner verifier key `name+hexid+base64(0x04 ‖ 32-byte key)` whose key ID matches its name and key, exactly as written. */
function isCosignerKey(vkey: string): boolean {
  if (vkey !== vkey.trim()) return false;
  try {
    parseCosignerKey(vkey);
    return true;
  } catch (error) {
    if (error instanceof NoteFormatError) return false;
    throw error;
  }
}

function validZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"')
  .refine((value) => DateTime.fromISO(value, { zone: 'utc' }).isValid, { message: 'is not a calendar date' });

export const contractSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be 1-100 letters, digits, ".", "_" or "-"'),
    version: z.number().int('must be a whole number').positive('must be positive'),
    effectiveFrom: isoDate,
    timezone: z.string().refine(validZone, { message: 'must be an IANA time zone such as "Europe/Berlin"' }),
    currency: z.string().refine((code) => currencyDigits(code) !== null, { message: 'must be an ISO 4217 currency code such as "EUR"' }),
    pricePerResolution: z.number().positive('must be positive'),
    categories: z.array(z.string().min(1, 'must not be empty')).refine((list) => new Set(list).size === list.length, {
      message: 'lists a category twice',
    }),
    criteria: z
      .object({
        noHumanPublicReply: z.boolean(),
        noEscalation: z.boolean(),
        verificationWindowHours: z.number().int('must be a whole number of hours').positive('must be positive').max(24 * 366),
        minCsat: z.number().int('must be a whole number').min(1).max(5).nullable().optional(),
        requireSla: z.array(z.enum(SLA_METRICS)).default([]),
      })
      .strict(),
    clawbackDays: z.number().int('must be a whole number of days').min(0, 'must not be negative').max(3660),
    /**
     * Approving an AI draft of a ticket in this contract's categories needs the reviewer's electronic signature
     * (in a ledger with accounts). Optional, so every contract written before it stays valid as it was.
     */
    requireSignedApproval: z.boolean().optional(),
    /**
     * Two-party metering: a verified outcome is billable only once a checkpoint cosigned by one of `buyerKeys` (the
     * buyer's cosigner verifier keys, C2SP tlog-cosignature type 0x04) covers its `outcome.verified` event.
     */
    requireCosignedCheckpoint: z.boolean().optional(),
    buyerKeys: z.array(z.string().refine(isCosignerKey, { message: 'must be a cosigner verifier key <name>+<hex key ID>+<base64(0x04 ‖ Ed25519 public key)>' })).optional(),
  })
  .strict()
  .superRefine((contract, ctx) => {
    if (contract.requireCosignedCheckpoint && !contract.buyerKeys?.length) {
      ctx.addIssue({ code: 'custom', path: ['buyerKeys'], message: 'requireCosignedCheckpoint needs at least one buyer key to cosign the checkpoints' });
    }
    const digits = currencyDigits(contract.currency);
    if (digits === null) return;
    try {
      toMinor(contract.pricePerResolution, digits);
    } catch (error) {
      if (error instanceof MoneyError) ctx.addIssue({ code: 'custom', path: ['pricePerResolution'], message: `${error.message} for ${contract.currency}` });
    }
  });

export type Contract = z.output<typeof contractSchema>;

/** The first instant the version applies to: midnight of effectiveFrom in the contract's zone. */
/**
 * Start instants already computed, by day and zone: evaluating every ticket of a contract asks for its versions'
 * starts once per ticket, and the zone arithmetic was a sixth of an Outcomes tab's time at 100,000 tickets.
 */
const effectiveStarts = new Map<string, number>();
const EFFECTIVE_STARTS_KEPT = 1_000;

export function effectiveStartMs(contract: Pick<Contract, 'effectiveFrom' | 'timezone'>): number {
  const key = `${contract.effectiveFrom}|${contract.timezone}`;
  let start = effectiveStarts.get(key);
  if (start === undefined) {
    start = DateTime.fromISO(contract.effectiveFrom, { zone: contract.timezone }).startOf('day').toMillis();
    if (effectiveStarts.size >= EFFECTIVE_STARTS_KEPT) effectiveStarts.clear();
    effectiveStarts.set(key, start);
  }
  return start;
}

/** Billing period ("YYYY-MM") of an instant: its calendar month in the contract's zone. */
export function periodOf(ms: number, timezone: string): string {
  return DateTime.fromMillis(ms, { zone: timezone }).toFormat('yyyy-MM');
}

export function priceMinor(contract: Pick<Contract, 'pricePerResolution' | 'currency'>): number {
  return toMinor(contract.pricePerResolution, currencyDigits(contract.currency)!);
}
