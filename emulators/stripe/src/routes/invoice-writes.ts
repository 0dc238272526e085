// The invoice writes, form-encoded as stripe-node sends them: `POST /v1/invoices`, `POST /v1/invoices/:id`,
// `/finalize`, `/pay`, `/void`, `DELETE /v1/invoices/:id` and `POST /v1/invoiceitems`. Parameters are read here;
// the behaviour lives in invoices/writes.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BillingWriter } from '../billing-writer';
import type { Form } from '../form';
import { parseForm } from '../form';
import { sendJson } from '../http';
import { addInvoiceItem, createInvoice, updateInvoice } from '../invoices/writes';
import { deleteInvoice, finalizeInvoice, payInvoice, voidInvoice } from '../invoices/lifecycle';
import {
  booleanField,
  enumField,
  integerField,
  mergedMetadata,
  nullableString,
  optionalString,
  rejectUnknownFields,
  requiredInteger,
  requiredString,
  usdOnly,
} from '../write-params';
import { queryOf } from './origin';

type WithBody = { Body: Form | undefined };
type ById = { Params: { id: string }; Body: Form | undefined };

export function registerInvoiceWrites(
  app: FastifyInstance,
  writer: (request: FastifyRequest, reply: FastifyReply) => BillingWriter,
): void {
  app.post<WithBody>('/v1/invoices', (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, [
      'auto_advance',
      'collection_method',
      'customer',
      'days_until_due',
      'description',
      'metadata',
      'pending_invoice_items_behavior',
      'subscription',
    ]);
    // Pending invoice items are not emulated: items are added to a draft by naming it (POST /v1/invoiceitems).
    enumField(form, 'pending_invoice_items_behavior', ['exclude', 'include'] as const);
    const input = {
      customer: requiredString(form, 'customer'),
      subscription: optionalString(form, 'subscription'),
      description: nullableString(form, 'description') ?? null,
      metadata: mergedMetadata(form, {}) ?? {},
      autoAdvance: booleanField(form, 'auto_advance') ?? false,
      collectionMethod:
        enumField(form, 'collection_method', ['charge_automatically', 'send_invoice'] as const) ??
        'charge_automatically',
      daysUntilDue: integerField(form, 'days_until_due', 0),
    };
    return sendJson(reply, 200, createInvoice(writer(request, reply), input));
  });
  app.post<ById>('/v1/invoices/:id', (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, ['auto_advance', 'description', 'metadata']);
    const w = writer(request, reply);
    const current = w.billing.invoices.retrieve(request.params.id);
    const change = {
      description: nullableString(form, 'description'),
      metadata: mergedMetadata(form, (current?.metadata ?? {}) as Record<string, string>),
      autoAdvance: booleanField(form, 'auto_advance'),
    };
    return sendJson(reply, 200, updateInvoice(w, request.params.id, change));
  });
  app.post<ById>('/v1/invoices/:id/finalize', (request, reply) => {
    rejectUnknownFields(request.body ?? {}, ['auto_advance']);
    return sendJson(reply, 200, finalizeInvoice(writer(request, reply), request.params.id));
  });
  app.post<ById>('/v1/invoices/:id/pay', (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, ['off_session', 'paid_out_of_band', 'payment_method']);
    booleanField(form, 'off_session');
    const input = {
      paymentMethod: optionalString(form, 'payment_method'),
      paidOutOfBand: booleanField(form, 'paid_out_of_band') ?? false,
    };
    return sendJson(reply, 200, payInvoice(writer(request, reply), request.params.id, input));
  });
  app.post<ById>('/v1/invoices/:id/void', (request, reply) => {
    rejectUnknownFields(request.body ?? {}, []);
    return sendJson(reply, 200, voidInvoice(writer(request, reply), request.params.id));
  });
  app.delete<ById>('/v1/invoices/:id', (request, reply) => {
    rejectUnknownFields(parseForm(queryOf(request.url)), []);
    return sendJson(reply, 200, deleteInvoice(writer(request, reply), request.params.id));
  });
  app.post<WithBody>('/v1/invoiceitems', (request, reply) => {
    const form = request.body ?? {};
    rejectUnknownFields(form, ['amount', 'currency', 'customer', 'description', 'invoice', 'metadata']);
    const input = {
      customer: requiredString(form, 'customer'),
      // Stripe also keeps pending items for the next invoice; the emulator adds items to a named draft only.
      invoice: requiredString(form, 'invoice'),
      amount: requiredInteger(form, 'amount', 0),
      description: nullableString(form, 'description') ?? null,
      metadata: mergedMetadata(form, {}) ?? {},
    };
    usdOnly(form);
    return sendJson(reply, 200, addInvoiceItem(writer(request, reply), input));
  });
}
