import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { limitError } from './limit-errors';
import { fragmentMemo, fragmentsOf } from './selection-walk';

export interface CostLimitOptions {
  maxCost: number;
  /** Items assumed for a list without `first`/`last` (writeKeys, apiTokens…). */
  defaultListSize: number;
  /**
   * Items assumed when `first`/`last` is a variable: validation runs once per document (Apollo caches it),
   * before variables are known, so the largest page the api serves is assumed.
   */
  maxPageSize: number;
}

const SIZE_ARGUMENTS = ['first', 'last'];

/**
 * Refuses operations whose cost exceeds `maxCost` (QUERY_TOO_COSTLY, with the cost and the limit). Each
 * object field costs 1; a field's `first`/`last` (or, for a plain list, a default size) multiplies its
 * subtree; scalars are free; aliases count as separate fields and fragments are resolved where spread.
 * The page inside a sized connection (`edges`, `nodes`) is not multiplied again. Introspection is free:
 * it needs a token and is bounded by the schema.
 */
export function costLimitRule(options: CostLimitOptions): ValidationRule {
  return (context: ValidationContext) => {
    const cost = new OperationCost(context, options);
    return {
      OperationDefinition(node) {
        const total = cost.ofSet(node.selectionSet, context.getSchema().getRootType(node.operation), false);
        if (total > options.maxCost) {
          context.reportError(
            limitError(
              'QUERY_TOO_COSTLY',
              `Query cost ${total} exceeds the limit of ${options.maxCost}; request fewer items (first/last) or fewer fields and aliases`,
              { cost: total, maxCost: options.maxCost },
            ),
          );
        }
      },
    };
  };
}

type Parent = GraphQLNamedType | null | undefined;

/** The cost walk over one document; `sized` marks the page of a connection that took first/last. */
class OperationCost {
  private readonly fragments: Map<string, FragmentDefinitionNode>;
  private readonly memo = fragmentMemo(0);
  private readonly schema: GraphQLSchema;

  constructor(
    context: ValidationContext,
    private readonly options: CostLimitOptions,
  ) {
    this.fragments = fragmentsOf(context);
    this.schema = context.getSchema();
  }

  ofSet(set: SelectionSetNode, parent: Parent, sized: boolean): number {
    return set.selections.reduce((sum, sel) => {
      if (sel.kind === Kind.FIELD) {
        return sum + this.ofField(sel, parent, sized);
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? this.schema.getType(sel.typeCondition.name.value) : parent;
        return sum + this.ofSet(sel.selectionSet, type, sized);
      }
      const fragment = this.fragments.get(sel.name.value);
      if (!fragment) {
        return sum;
      }
      const type = this.schema.getType(fragment.typeCondition.name.value);
      return sum + this.memo(`${sel.name.value}:${sized}`, () => this.ofSet(fragment.selectionSet, type, sized));
    }, 0);
  }

  private ofField(node: FieldNode, parent: Parent, inSized: boolean): number {
    const field = fieldOf(parent, node.name.value);
    if (!field || node.name.value.startsWith('__') || isLeafType(getNamedType(field.type)) || !node.selectionSet) {
      return 0;
    }
    const size = sizeArgument(node, field, this.options.maxPageSize);
    const list = isList(field.type);
    const items = size ?? (list ? (inSized ? 1 : this.options.defaultListSize) : 1);
    // A sized non-list field is a connection: its page (edges, nodes) is what `first` counts.
    const children = this.ofSet(node.selectionSet, getNamedType(field.type), size !== undefined && !list);
    return items * (1 + children);
  }
}

function fieldOf(
  parent: GraphQLNamedType | null | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** The page size a field asks for: its first/last literal, the largest page for a variable, else its default. */
function sizeArgument(node: FieldNode, field: GraphQLField<unknown, unknown>, maxPageSize: number): number | undefined {
  const sizes = field.args.filter((arg) => SIZE_ARGUMENTS.includes(arg.name));
  if (sizes.length === 0) {
    return undefined;
  }
  const values = sizes.map((arg) => {
    const given = node.arguments?.find((a) => a.name.value === arg.name)?.value;
    if (given?.kind === Kind.INT) {
      return Math.max(0, Number(given.value));
    }
    if (given?.kind === Kind.VARIABLE) {
      return maxPageSize;
    }
    return typeof arg.defaultValue === 'number' ? arg.defaultValue : 0;
  });
  const size = Math.max(...values);
  return size > 0 ? size : maxPageSize;
}
