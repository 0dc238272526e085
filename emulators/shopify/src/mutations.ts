// The Mutation fields the emulator serves: starting and cancelling bulk queries, and webhook subscriptions. Input
// problems come back as `userErrors` with HTTP 200, as Shopify's do (cloud-apis.md §3.5).
import { BulkOperations } from './bulk';
import { checkBulkQuery } from './bulk-query';
import type { RequestContext } from './context';
import { parseGid } from './records';
import { READ_SCOPE, requireScope } from './resolvers';

type Root = (args: Record<string, unknown>, context: RequestContext) => unknown;

function bulkError(message: string, code: 'INVALID' | 'LIMIT_REACHED' | 'OPERATION_IN_PROGRESS', field = ['query']) {
  return { bulkOperation: null, userErrors: [{ field, message, code }] };
}

const bulkOperationRunQuery: Root = (args, context) => {
  const { bulk } = context.state;
  bulk.tick();
  const query = String(args.query);
  const checked = checkBulkQuery(query);
  if ('error' in checked) {
    return bulkError(checked.error, 'INVALID');
  }
  const running = bulk.running();
  const limit = BulkOperations.concurrency(context.version);
  if (running.length >= limit) {
    bulk.stats.refused++;
    return limit === 1
      ? bulkError(
          `A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/${running[0].id}.`,
          'OPERATION_IN_PROGRESS',
          [],
        )
      : bulkError(
          `Bulk query operations are limited to ${limit} at a time for this app and shop.`,
          'LIMIT_REACHED',
          [],
        );
  }
  const operation = bulk.create(query, context.scopes);
  return { bulkOperation: bulk.view(operation.id), userErrors: [] };
};

const bulkOperationCancel: Root = (args, context) => {
  const parsed = parseGid(String(args.id));
  const operation = parsed?.type === 'BulkOperation' ? context.state.bulk.get(parsed.id) : undefined;
  if (!operation) {
    return { bulkOperation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] };
  }
  if (operation.status !== 'CREATED' && operation.status !== 'RUNNING') {
    return {
      bulkOperation: context.state.bulk.view(operation.id),
      userErrors: [
        { field: null, message: `A bulk operation cannot be canceled when it is ${operation.status.toLowerCase()}` },
      ],
    };
  }
  context.state.bulk.cancel(operation.id);
  return { bulkOperation: context.state.bulk.view(operation.id), userErrors: [] };
};

/** Each resource topic needs the resource's read scope, as Shopify checks at subscription time. */
function topicScope(topic: string): string | undefined {
  const resource = topic.split('_')[0].toLowerCase();
  return resource in READ_SCOPE ? READ_SCOPE[resource as keyof typeof READ_SCOPE] : undefined;
}

const webhookSubscriptionCreate: Root = (args, context) => {
  const topic = String(args.topic);
  const scope = topicScope(topic);
  if (scope) {
    requireScope(context, 'webhookSubscriptionCreate', scope);
  }
  const input = (args.webhookSubscription ?? {}) as {
    uri?: string | null;
    callbackUrl?: string | null;
    filter?: string | null;
    includeFields?: string[] | null;
  };
  const uri = input.uri ?? input.callbackUrl;
  if (!uri) {
    return {
      webhookSubscription: null,
      userErrors: [{ field: ['webhookSubscription', 'uri'], message: "Address can't be blank" }],
    };
  }
  const created = context.state.webhooks.subscribe(topic, {
    uri,
    filter: input.filter,
    includeFields: input.includeFields,
  });
  if ('error' in created) {
    return {
      webhookSubscription: null,
      userErrors: [{ field: ['webhookSubscription', 'uri'], message: created.error }],
    };
  }
  return { webhookSubscription: context.state.webhooks.view(created), userErrors: [] };
};

const webhookSubscriptionDelete: Root = (args, context) => {
  const parsed = parseGid(String(args.id));
  const deleted = parsed?.type === 'WebhookSubscription' && context.state.webhooks.unsubscribe(parsed.id);
  return deleted
    ? { deletedWebhookSubscriptionId: String(args.id), userErrors: [] }
    : {
        deletedWebhookSubscriptionId: null,
        userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }],
      };
};

export const MUTATION_ROOT: Record<string, Root> = {
  bulkOperationRunQuery,
  bulkOperationCancel,
  webhookSubscriptionCreate,
  webhookSubscriptionDelete,
};
