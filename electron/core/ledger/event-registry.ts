// The event types the ledger accepts. The ledger knows no feature: each feature registers its own types
// (payload schema, scope, who may write them, rule book) when the core starts (see electron/core/features.ts).
import type { EventRule, EventTypeSpec } from './event-types/types.ts';

export type { EventTypeSpec } from './event-types/types.ts';

interface Registered {
  feature: string;
  spec: EventTypeSpec;
}

// Insertion order is kept: it is the order knownEventTypes() lists the types in messages.
const registry = new Map<string, Registered>();

/** Adds a feature's event types; a type that another (or the same) feature already registered is refused. */
export function registerEventTypes(feature: string, specs: Readonly<Record<string, EventTypeSpec>>): void {
  const clashes = Object.keys(specs).filter((type) => registry.has(type));
  if (clashes.length > 0) {
    const owners = clashes.map((type) => `"${type}" (already registered by ${registry.get(type)!.feature})`).join(', ');
    throw new Error(`${feature} cannot register event type ${owners}: each type has exactly one owner`);
  }
  for (const [type, spec] of Object.entries(specs)) registry.set(type, { feature, spec });
}

/** The spec of a registered type, or undefined for a type nobody registered. */
export function eventTypeSpec(type: string): EventTypeSpec | undefined {
  return registry.get(type)?.spec;
}

/** Every registered type, in registration order. */
export function knownEventTypes(): string[] {
  return [...registry.keys()];
}

// Rules that judge every event whatever its type (e.g. that a person named as actor has an account).
const appendRules: { feature: string; rule: EventRule }[] = [];
/** The rules alone, kept in step with appendRules: the append path asks for them once per event. */
let appendRuleList: readonly EventRule[] = [];

/** Adds a rule every appended event must pass, on every append path. */
export function registerAppendRule(feature: string, rule: EventRule): void {
  appendRules.push({ feature, rule });
  appendRuleList = appendRules.map((entry) => entry.rule);
}

export function appendRulesForAll(): readonly EventRule[] {
  return appendRuleList;
}
