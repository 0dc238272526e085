import { Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { limitError } from './limit-errors';
import { fragmentMemo, fragmentsOf } from './selection-walk';

/**
 * Refuses operations with more than `maxAliases` aliased fields (TOO_MANY_ALIASES). Aliases are what
 * lets one request repeat an expensive root field hundreds of times; fields without an alias are merged
 * by GraphQL, so they are bounded by the schema. Fragments count once per place they are spread.
 */
export function aliasLimitRule(maxAliases: number): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = fragmentsOf(context);
    const memo = fragmentMemo(0);
    const count = (set: SelectionSetNode): number =>
      set.selections.reduce((sum, sel) => {
        if (sel.kind === Kind.FIELD) {
          return sum + (sel.alias ? 1 : 0) + (sel.selectionSet ? count(sel.selectionSet) : 0);
        }
        if (sel.kind === Kind.INLINE_FRAGMENT) {
          return sum + count(sel.selectionSet);
        }
        const fragment = fragments.get(sel.name.value);
        return sum + (fragment ? memo(sel.name.value, () => count(fragment.selectionSet)) : 0);
      }, 0);
    return {
      OperationDefinition(node) {
        const aliases = count(node.selectionSet);
        if (aliases > maxAliases) {
          context.reportError(
            limitError(
              'TOO_MANY_ALIASES',
              `Operation uses ${aliases} aliases; the limit is ${maxAliases}: request each field once, or split the operation`,
              { aliases, maxAliases },
            ),
          );
        }
      },
    };
  };
}
