import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { DerivedProjection } from '../../electron/core/derived/derived-projection.ts';
import { orderedProjections, ProjectionRegistry } from '../../electron/core/derived/projection-registry.ts';
import { registerFeatures } from '../../electron/core/features.ts';
import { eventTypeSpec, knownEventTypes, registerEventTypes } from '../../electron/core/ledger/event-registry.ts';
import { eventTypeSpecOf, parseEventLine } from '../../electron/core/ledger/event-lines.ts';

const anySpec = { scope: 'ledger' as const, payload: z.object({}).strict() };

function projection(name: string): DerivedProjection {
  return { name, rebuildAll: () => undefined };
}

describe('event type registry', () => {
  it('refuses a type another feature registered, and leaves the registry as it was', () => {
    const before = knownEventTypes();
    expect(() => registerEventTypes('intruder', { 'intruder.fact': anySpec, created: anySpec })).toThrow(/"created" \(already registered by tickets\)/);
    expect(knownEventTypes()).toEqual(before);
    expect(eventTypeSpec('intruder.fact')).toBeUndefined();
  });

  it('registers features once however often an entry point asks', () => {
    const before = knownEventTypes();
    registerFeatures();
    registerFeatures();
    expect(knownEventTypes()).toEqual(before);
  });

  it('lists types in registration order and refuses unknown ones by name', () => {
    expect(knownEventTypes().slice(0, 3)).toEqual(['created', 'message', 'status']);
    expect(knownEventTypes().at(-1)).toBe('signature');
    expect(() => eventTypeSpecOf('toString')).toThrow(/unknown event type "toString" \(expected one of created, message/);
    expect(() => parseEventLine({ type: 'nope', ticket: 't', at: '2026-01-01T00:00:00Z' })).toThrow(/unknown event type "nope"/);
  });

  it('keeps on each spec who writes it and its rule book', () => {
    const writtenByAttest = knownEventTypes().filter((type) => eventTypeSpec(type)!.writtenBy === 'attest');
    expect(writtenByAttest.sort()).toEqual(
      [
        'outcome.verified', 'outcome.reversed', 'outcome.discrepancy', 'outcome.disputed', 'outcome.dispute_upheld', 'outcome.dispute_rejected',
        'ai.triage', 'ai.retrieval', 'ai.draft', 'ai.check', 'ai.decision', 'ai.review', 'ai.settings', 'ai.remote_host', 'organization.settings',
        'import.file', 'import.flag', 'baseline.frozen', 'checkpoint',
        'accounts.required', 'account.created', 'account.roleChanged', 'account.disabled', 'account.enabled', 'account.passwordChanged', 'people.idleMinutes',
        'access.login', 'access.loginFailed', 'access.lockout', 'access.logout', 'access.expired', 'access.export', 'access.pack', 'access.settingsViewed', 'signature',
        'audit.note', 'statement.issued', 'checkpoint.cosigned', 'session.started',
      ].sort(),
    );
    const withRules = knownEventTypes().filter((type) => (eventTypeSpec(type)!.rules ?? []).length > 0);
    expect(withRules.sort()).toEqual(
      ['contract.version', 'sla.policy', 'outcome.verified', 'outcome.reversed', 'outcome.discrepancy', 'outcome.disputed', 'outcome.dispute_upheld', 'outcome.dispute_rejected', 'ai.review', 'ai.settings', 'kb.article', 'ai.remote_host', 'signature', 'audit.note', 'statement.issued', 'checkpoint', 'checkpoint.cosigned'].sort(),
    );
  });
});

describe('projection registry', () => {
  it('runs the features’ projections after what they depend on', () => {
    expect(orderedProjections().map((p) => p.name)).toEqual(['category_modes', 'sla', 'sla_untargeted', 'kb_articles', 'ai_runs', 'import_flags', 'outcome_events', 'kpis']);
  });

  it('orders by dependencies, not by registration', () => {
    const registry = new ProjectionRegistry();
    registry.register(projection('report'), { after: ['facts', 'modes'] });
    registry.register(projection('facts'), { after: ['modes'] });
    registry.register(projection('modes'));
    registry.register(projection('loose'));
    expect(registry.ordered().map((p) => p.name)).toEqual(['modes', 'facts', 'report', 'loose']);
  });

  it('refuses a name twice, an unknown dependency and a cycle', () => {
    const registry = new ProjectionRegistry();
    registry.register(projection('a'), { after: ['b'] });
    expect(() => registry.register(projection('a'))).toThrow(/"a" is registered twice/);
    expect(() => registry.ordered()).toThrow(/"a" comes after unregistered projection\(s\): b/);
    registry.register(projection('b'), { after: ['a'] });
    expect(() => registry.ordered()).toThrow(/cycle: a, b/);
  });
});
