// The SLA policy file (also the payload of the ledger-wide `sla.policy` event): calendars, ordered policies,
// targets per priority and metric. Cross-field rules (calendar names exist, ids unique) live in validatePolicyFile.
import { z } from 'zod';
import { PRIORITIES } from '../../../shared/domain.ts';
import { SLA_METRICS } from '../../../shared/contracts/sla.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const clockTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time "HH:MM" (00:00–24:00)');
const span = z
  .tuple([clockTime, clockTime])
  .refine(([from, to]) => from < to, { message: 'a span must end after it starts, within the day' });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date "YYYY-MM-DD"');
const isoTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/, 'must be an ISO 8601 timestamp with a time zone');

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const calendarSchema = z
  .object({
    timezone: z.string().refine(validZone, { message: 'must be an IANA time zone such as "Europe/Berlin"' }),
    hours: z.partialRecord(z.enum(WEEKDAYS), z.array(span)),
    holidays: z.array(isoDate).default([]),
  })
  .strict()
  .superRefine((calendar, ctx) => {
    let open = false;
    for (const day of WEEKDAYS) {
      const spans = calendar.hours[day] ?? [];
      if (spans.length > 0) open = true;
      for (let i = 1; i < spans.length; i++) {
        if (spans[i]![0] < spans[i - 1]![1]) ctx.addIssue({ code: 'custom', path: ['hours', day, i], message: 'spans must be in order and must not overlap' });
      }
    }
    if (!open) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'a calendar needs at least one business-hours span' });
  });

export const targetSchema = z
  .object({ minutes: z.number().int('must be a whole number of minutes').positive('must be positive'), business: z.boolean() })
  .strict();

const matchList = z.array(z.string().min(1)).min(1, 'list at least one value, or leave the condition out');

export const policySchema = z
  .object({
    id: z.string().min(1),
    match: z
      .object({
        priority: z.array(z.enum(PRIORITIES)).min(1).optional(),
        category: matchList.optional(),
        channel: matchList.optional(),
        organization: matchList.optional(),
        tier: matchList.optional(),
      })
      .strict(),
    calendar: z.string().min(1),
    targets: z.partialRecord(z.enum(PRIORITIES), z.partialRecord(z.enum(SLA_METRICS), targetSchema)),
  })
  .strict();

export const policyFileSchema = z
  .object({
    version: z.number().int('must be a whole number').positive('must be positive'),
    effectiveFrom: isoTimestamp,
    calendars: z.record(z.string().min(1), calendarSchema),
    policies: z.array(policySchema),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.policies.forEach((policy, index) => {
      if (seen.has(policy.id)) ctx.addIssue({ code: 'custom', path: ['policies', index, 'id'], message: `duplicate policy id "${policy.id}"` });
      seen.add(policy.id);
      if (!Object.hasOwn(file.calendars, policy.calendar)) {
        ctx.addIssue({ code: 'custom', path: ['policies', index, 'calendar'], message: `no calendar named "${policy.calendar}" in "calendars"` });
      }
    });
  });

export type CalendarDef = z.output<typeof calendarSchema>;
export type PolicyDef = z.output<typeof policySchema>;
export type PolicyFile = z.output<typeof policyFileSchema>;
