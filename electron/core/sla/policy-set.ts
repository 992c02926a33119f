// Every imported policy version, in force from its effectiveFrom: which policy and target apply to a ticket's
// metric clock that starts at a given instant. Pure; the versions come from sla-repository.
import type { SlaMetricKey } from '../../../shared/contracts/sla.ts';
import { businessCalendar, type BusinessCalendar } from './business-calendar.ts';
import type { PolicyDef, PolicyFile } from './policy-schema.ts';

export interface PolicyVersion {
  seq: number;
  file: PolicyFile;
}

/** What a ticket's created event says that policies can match on. */
export interface TicketTraits {
  priority: string;
  category: string;
  channel: string;
  organization: string | null;
  tier: string | null;
}

export interface AppliedTarget {
  policyId: string;
  policyVersion: number;
  calendarName: string;
  calendar: BusinessCalendar;
  business: boolean;
  targetMs: number;
}

interface CompiledVersion {
  effectiveFromMs: number;
  seq: number;
  file: PolicyFile;
  calendars: Map<string, BusinessCalendar>;
}

export class PolicySet {
  private readonly versions: CompiledVersion[];

  constructor(versions: readonly PolicyVersion[]) {
    // Later effectiveFrom wins; for equal dates the later ledger event wins.
    this.versions = versions
      .map((v) => ({
        effectiveFromMs: Date.parse(v.file.effectiveFrom),
        seq: v.seq,
        file: v.file,
        calendars: new Map(Object.entries(v.file.calendars).map(([name, def]) => [name, businessCalendar(def)])),
      }))
      .sort((a, b) => a.effectiveFromMs - b.effectiveFromMs || a.seq - b.seq);
  }

  get empty(): boolean {
    return this.versions.length === 0;
  }

  /** The version in force at `atMs`, or null before the first one. */
  versionAt(atMs: number): PolicyFile | null {
    return this.compiledAt(atMs)?.file ?? null;
  }

  private compiledAt(atMs: number): CompiledVersion | null {
    let found: CompiledVersion | null = null;
    for (const version of this.versions) {
      if (version.effectiveFromMs <= atMs) found = version;
      else break;
    }
    return found;
  }

  /** The first policy of the version in force at `atMs` that matches the ticket, and its target for the metric (null: none applies). */
  targetFor(traits: TicketTraits, metric: SlaMetricKey, atMs: number): AppliedTarget | null {
    const compiled = this.compiledAt(atMs);
    if (!compiled) return null;
    const file = compiled.file;
    const policy = file.policies.find((p) => matches(p, traits));
    const target = policy?.targets[traits.priority as keyof PolicyDef['targets']]?.[metric];
    if (!policy || !target) return null;
    return {
      policyId: policy.id,
      policyVersion: file.version,
      calendarName: policy.calendar,
      calendar: compiled.calendars.get(policy.calendar)!,
      business: target.business,
      targetMs: target.minutes * 60_000,
    };
  }
}

export function matches(policy: PolicyDef, traits: TicketTraits): boolean {
  const m = policy.match;
  const has = (list: readonly string[] | undefined, value: string | null): boolean => list === undefined || (value !== null && list.includes(value));
  return has(m.priority, traits.priority) && has(m.category, traits.category) && has(m.channel, traits.channel) && has(m.organization, traits.organization) && has(m.tier, traits.tier);
}
