import { type FragmentDefinitionNode, Kind, type ValidationContext } from 'graphql';

/** The document's fragments by name (for rules that resolve spreads themselves). */
export function fragmentsOf(context: ValidationContext): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of context.getDocument().definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(def.name.value, def);
    }
  }
  return fragments;
}

/**
 * Memoises a per-fragment result so a fragment spread many times (or fragments spreading each other in a
 * chain) is computed once: linear in the document, never exponential. A cycle (which validation reports
 * anyway) counts as 0.
 */
export function fragmentMemo<T>(zero: T): (key: string, compute: () => T) => T {
  const done = new Map<string, T>();
  const inProgress = new Set<string>();
  return (key, compute) => {
    const known = done.get(key);
    if (known !== undefined) {
      return known;
    }
    if (inProgress.has(key)) {
      return zero;
    }
    inProgress.add(key);
    const value = compute();
    inProgress.delete(key);
    done.set(key, value);
    return value;
  };
}
