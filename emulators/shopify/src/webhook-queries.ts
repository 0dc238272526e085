// The QueryRoot fields over the app's webhook subscriptions: `webhookSubscriptions`, filtered by `uri` (or the
// deprecated `callbackUrl`), `topics` and `format` and paged like every connection, and `webhookSubscription(id)`.
// The `query:` search argument is not emulated (ignored).
import type { GraphQLResolveInfo } from 'graphql';
import type { ConnectionArgs } from './connection';
import { connection, type RequestContext, type SortCodec } from './context';
import { parseGid } from './records';
import { findNode } from './resolvers';
import type { WebhookSubscription } from './webhooks';

type Root = (args: Record<string, unknown>, context: RequestContext, info: GraphQLResolveInfo) => unknown;

type Args = ConnectionArgs & {
  uri?: string | null;
  callbackUrl?: string | null;
  topics?: string[] | null;
  format?: string | null;
};

// Subscription ids only grow, so ID and CREATED_AT (the schema's two sort keys) order them alike.
const BY_ID: SortCodec<WebhookSubscription> = { key: (each) => each.id, display: (value) => value, parse: Number };

const webhookSubscriptions: Root = (rawArgs, context, info) => {
  const args = rawArgs as Args;
  const { webhooks } = context.state;
  const uri = args.uri ?? args.callbackUrl;
  const matches = (each: WebhookSubscription): boolean =>
    (!uri || each.uri === uri) &&
    (!args.topics || args.topics.includes(each.topic)) &&
    (!args.format || args.format === 'JSON');
  return connection(webhooks.subscriptions.filter(matches), BY_ID, args, context, info, (each) => webhooks.view(each));
};

const webhookSubscription: Root = (args, context) =>
  parseGid(String(args.id))?.type === 'WebhookSubscription' ? findNode(String(args.id), context) : null;

export const WEBHOOK_QUERY_ROOT: Record<string, Root> = { webhookSubscriptions, webhookSubscription };
