import {
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * Rejects operations nested deeper than `maxDepth` fields. Introspection (`__schema`, `__type`) is not
 * counted: GraphiQL's own schema query is deep by design and is bounded by the schema, not the caller.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) {
        fragments.set(def.name.value, def);
      }
    }
    return {
      OperationDefinition(node) {
        const depth = measure(node.selectionSet, 0, fragments, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`Query depth ${depth} exceeds the limit of ${maxDepth}; request fewer nested levels`, {
              nodes: [node],
            }),
          );
        }
      },
    };
  };
}

function measure(
  set: SelectionSetNode,
  depth: number,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  let max = depth;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) {
        continue;
      }
      max = Math.max(max, sel.selectionSet ? measure(sel.selectionSet, depth + 1, fragments, seen) : depth + 1);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, measure(sel.selectionSet, depth, fragments, seen));
    } else {
      const fragment = fragments.get(sel.name.value);
      if (fragment && !seen.has(sel.name.value)) {
        max = Math.max(max, measure(fragment.selectionSet, depth, fragments, new Set(seen).add(sel.name.value)));
      }
    }
  }
  return max;
}
