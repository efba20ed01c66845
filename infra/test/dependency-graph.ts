import type { MockedResource } from "../under-mocks/mocks";

/**
 * The program's dependency graph as the engine sees it (mocks.ts records what the SDK sends: `dependsOn`,
 * the resources whose outputs an input uses, the provider). The engine creates and updates a resource after
 * everything it depends on, and deletes it before them.
 */
export const keyOf = (r: { type: string; name: string }) => `${r.type}::${r.name}`;

export function dependencyGraph(resources: MockedResource[]) {
  const direct = new Map(resources.map((r) => [keyOf(r), (r.dependencies ?? []).map(keyOf)]));
  const closure = new Map<string, Set<string>>();
  // The engine refuses cycles, so a depth-first walk with memoised results terminates.
  const reach = (key: string): Set<string> => {
    const known = closure.get(key);
    if (known) return known;
    const found = new Set<string>();
    for (const next of direct.get(key) ?? []) {
      found.add(next);
      for (const further of reach(next)) found.add(further);
    }
    closure.set(key, found);
    return found;
  };
  return {
    /** Whether `later` is created after (and deleted before) `earlier`. */
    dependsOn: (later: MockedResource, earlier: MockedResource) => reach(keyOf(later)).has(keyOf(earlier)),
  };
}
