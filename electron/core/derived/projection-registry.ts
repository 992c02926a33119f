// The projections derived from the ledger besides the ticket tables. Each feature registers its own when
// the core starts (electron/core/features.ts) and names the projections it must come after; refresh and
// rebuild run them in that dependency order, never in the order some file happened to list them.
import type { DerivedProjection } from './derived-projection.ts';

export interface ProjectionOptions {
  /** Names of projections that must be up to date before this one is refreshed or rebuilt. */
  after?: readonly string[];
}

interface Entry {
  projection: DerivedProjection;
  after: readonly string[];
}

export class ProjectionRegistry {
  private readonly entries = new Map<string, Entry>();
  private sorted: readonly DerivedProjection[] | null = null;

  register(projection: DerivedProjection, options: ProjectionOptions = {}): void {
    if (this.entries.has(projection.name)) throw new Error(`projection "${projection.name}" is registered twice`);
    this.entries.set(projection.name, { projection, after: options.after ?? [] });
    this.sorted = null;
  }

  dependenciesOf(name: string): readonly string[] {
    return this.entries.get(name)?.after ?? [];
  }

  /**
   * Every projection after all it depends on (Kahn's algorithm). Among projections free to run, registration
   * order decides, so the order is stable. An unknown dependency or a cycle is a wiring fault and throws.
   */
  ordered(): readonly DerivedProjection[] {
    if (this.sorted) return this.sorted;
    for (const [name, entry] of this.entries) {
      const unknown = entry.after.filter((dependency) => !this.entries.has(dependency));
      if (unknown.length > 0) throw new Error(`projection "${name}" comes after unregistered projection(s): ${unknown.join(', ')}`);
    }
    const done = new Set<string>();
    const result: DerivedProjection[] = [];
    while (result.length < this.entries.size) {
      const next = [...this.entries.values()].find(
        (entry) => !done.has(entry.projection.name) && entry.after.every((dependency) => done.has(dependency)),
      );
      if (!next) {
        const waiting = [...this.entries.keys()].filter((name) => !done.has(name));
        throw new Error(`projections depend on each other in a cycle: ${waiting.join(', ')}`);
      }
      done.add(next.projection.name);
      result.push(next.projection);
    }
    this.sorted = result;
    return result;
  }
}

const projections = new ProjectionRegistry();

/** The projections this one names as coming before it (its `after`). */
export function dependenciesOf(name: string): readonly string[] {
  return projections.dependenciesOf(name);
}

export function registerProjection(projection: DerivedProjection, options: ProjectionOptions = {}): void {
  projections.register(projection, options);
}

/** The registered projections in dependency order. */
export function orderedProjections(): readonly DerivedProjection[] {
  const ordered = projections.ordered();
  // Nothing registered means an entry point skipped registerFeatures(): projections would silently fall behind.
  if (ordered.length === 0) throw new Error('no projections are registered: the entry point must call registerFeatures() (electron/core/features.ts)');
  return ordered;
}
