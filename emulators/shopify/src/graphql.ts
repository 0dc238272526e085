// One Admin GraphQL request, after auth: check the document against the real schema (invalid → errors, HTTP 200),
// price it (over 1000 → MAX_COST_EXCEEDED), take the price from the shop's bucket (too few points → THROTTLED with
// no data), run it with our resolvers, give back what was not used, and always answer `extensions.cost`.
import {
  defaultFieldResolver,
  execute,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLFieldResolver,
  Kind,
  type OperationDefinitionNode,
} from 'graphql';
import type { RequestContext } from './context';
import { MAX_SINGLE_QUERY_COST, requestedCost } from './cost';
import { checkQuery } from './document-cache';
import { badRequest, maxCostExceeded, notEmulated, throttledError } from './errors';
import { MUTATION_ROOT } from './mutations';
import { QUERY_ROOT } from './resolvers';
import { adminSchema } from './schema';
import type { ShopState } from './state';
import { WEBHOOK_QUERY_ROOT } from './webhook-queries';

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphqlAnswer {
  status: number;
  body: Record<string, unknown>;
}

export const ROOT_VALUE = { ...QUERY_ROOT, ...WEBHOOK_QUERY_ROOT, ...MUTATION_ROOT };

/** Root fields without a resolver fail plainly instead of answering null; every other field reads its property. */
export const fieldResolver: GraphQLFieldResolver<unknown, RequestContext> = (source, args, context, info) => {
  const isRoot = info.parentType === info.schema.getQueryType() || info.parentType === info.schema.getMutationType();
  if (isRoot && !(info.fieldName in ROOT_VALUE)) {
    throw notEmulated(`${info.parentType.name}.${info.fieldName}`);
  }
  return defaultFieldResolver(source, args, context, info);
};

export function runGraphql(
  state: ShopState,
  request: GraphqlRequest,
  scopes: readonly string[],
  version: string,
): GraphqlAnswer {
  if (typeof request.query !== 'string' || request.query.trim() === '') {
    return { status: 400, body: { errors: { query: 'Required parameter missing or invalid' } } };
  }
  const variables = (request.variables ?? {}) as Record<string, unknown>;
  const checked = checkQuery(request.query);
  if (checked.errors) {
    return answer(checked.errors, state, 0, 0);
  }
  const document = checked.document;
  const operation = pickOperation(document.definitions as OperationDefinitionNode[], request.operationName);
  if (!operation) {
    return answer(
      [badRequest('An operation name is required when the document holds several operations')],
      state,
      0,
      0,
    );
  }
  const fragments = Object.fromEntries(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const context: RequestContext = {
    state,
    scopes,
    version,
    bulk: false,
    cost: { schema: adminSchema(), fragments, variables },
    refund: 0,
  };
  const requested = requestedCost(operation, context.cost);
  if (requested > MAX_SINGLE_QUERY_COST) {
    return answer([maxCostExceeded(requested, MAX_SINGLE_QUERY_COST)], state, requested, null);
  }
  if (!state.bucket.take(requested)) {
    return answer([throttledError()], state, requested, null);
  }
  const result = execute({
    schema: adminSchema(),
    document,
    rootValue: ROOT_VALUE,
    contextValue: context,
    variableValues: variables,
    operationName: operation.name?.value,
    fieldResolver,
  });
  if (result instanceof Promise) {
    throw new Error('resolvers are synchronous');
  }
  const actual = Math.max(0, requested - context.refund);
  state.bucket.refund(requested - actual);
  return {
    status: 200,
    body: {
      ...(result.errors ? { errors: result.errors.map((error) => error.toJSON()) } : {}),
      data: result.data,
      extensions: { cost: costExtension(state, requested, actual) },
    },
  };
}

function pickOperation(definitions: OperationDefinitionNode[], name: unknown): OperationDefinitionNode | undefined {
  const operations = definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (typeof name === 'string') {
    return operations.find((operation) => operation.name?.value === name);
  }
  return operations.length === 1 ? operations[0] : undefined;
}

function costExtension(state: ShopState, requested: number, actual: number | null) {
  return { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: state.bucket.status() };
}

/** Errors without data: invalid documents (not charged), MAX_COST_EXCEEDED and THROTTLED (actualQueryCost null). */
function answer(
  errors: readonly GraphQLError[],
  state: ShopState,
  requested: number,
  actual: number | null,
): GraphqlAnswer {
  return {
    status: 200,
    body: {
      errors: errors.map((error) => error.toJSON()),
      extensions: { cost: costExtension(state, requested, actual) },
    },
  };
}
