// Bulk dashboard changes to subscriptions, invoices and charges, for tests of incremental syncs at scale (as
// `/_emulator/customers/update|delete` are for customers): `POST /_emulator/<objects>/update` bumps
// `metadata.tributary_revision` (`*.updated` events), `/_emulator/subscriptions/cancel` cancels subscriptions that
// have not ended (customer.subscription.deleted) and `/_emulator/invoices/delete` deletes drafts (invoice.deleted).
// Body `{ ids }` or `{ count }` (spread evenly over the candidates in list order); events name no request.
import type { FastifyInstance } from 'fastify';
import { updateCharge } from '../charges/writes';
import type { Selector } from '../customers/store';
import { CONTROL_PREFIX, sendJson } from '../http';
import { deleteInvoice } from '../invoices/lifecycle';
import { updateInvoice } from '../invoices/writes';
import type { Listed } from '../list';
import type { EmulatorState } from '../state';
import { cancelSubscription, subscriptionWriter, updateSubscription } from '../subscriptions/writes';
import { type Body, selector } from './control-params';

type Metadata = Record<string, string>;

export function registerBillingControl(app: FastifyInstance, state: EmulatorState): void {
  const post = (path: string, act: (body: Body) => object) =>
    app.post<{ Body: Body | undefined }>(`${CONTROL_PREFIX}${path}`, (request, reply) =>
      sendJson(reply, 200, act(request.body ?? {})),
    );
  const writer = () => state.billingWriter();
  post('/subscriptions/update', (body) => ({
    data: pick(state.billing.subscriptions.list(), selector(body), () => true).map((row) => {
      const metadata = state.billing.subscriptions.retrieve(row.id)!.metadata as Metadata;
      return updateSubscription(subscriptionWriter(writer()), row.id, { metadata: bumped(metadata) });
    }),
  }));
  post('/subscriptions/cancel', (body) => ({
    data: pick(state.billing.subscriptions.list(), selector(body), (row) => row.endedAt === null).map((row) =>
      cancelSubscription(subscriptionWriter(writer()), row.id),
    ),
  }));
  post('/invoices/update', (body) => ({
    data: pick(state.billing.invoices.list(), selector(body), () => true).map((row) => {
      const metadata = state.billing.invoices.retrieve(row.id)!.metadata as Metadata;
      return updateInvoice(writer(), row.id, { metadata: bumped(metadata) });
    }),
  }));
  post('/invoices/delete', (body) => ({
    deleted: pick(state.billing.invoices.list(), selector(body), (row) => row.status === 'draft').map((row) => {
      deleteInvoice(writer(), row.id);
      return row.id;
    }),
  }));
  post('/charges/update', (body) => ({
    data: pick(state.billing.charges.list(), selector(body), () => true).map((row) => {
      const metadata = state.billing.charges.retrieve(row.id)!.metadata as Metadata;
      return updateCharge(writer(), row.id, { metadata: bumped(metadata) });
    }),
  }));
}

/** The selected candidates: the ids given (each must be a candidate), or `count` spread evenly over them. */
function pick<Row extends Listed>(rows: readonly Row[], chosen: Selector, candidate: (row: Row) => boolean): Row[] {
  const candidates = rows.filter(candidate);
  if ('ids' in chosen) {
    const byId = new Map(candidates.map((row) => [row.id, row]));
    const refused = chosen.ids.filter((id) => !byId.has(id));
    if (refused.length > 0) {
      throw new RangeError(`no such object to change: ${refused.join(', ')}`);
    }
    return chosen.ids.map((id) => byId.get(id)!);
  }
  const count = Math.min(chosen.count, candidates.length);
  return Array.from({ length: count }, (_, i) => candidates[Math.floor((i * candidates.length) / count)]);
}

/** `metadata.tributary_revision` one higher, as `/_emulator/customers/update` bumps a customer's. */
function bumped(metadata: Metadata): Metadata {
  return { ...metadata, tributary_revision: String(Number(metadata.tributary_revision ?? 0) + 1) };
}
