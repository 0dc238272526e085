// Subscriptions, invoices and charges through the HTTP routes: filters, cursors, errors and the controls.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server';
import { EmulatorState } from '../state';

const KEY = { authorization: 'Bearer sk_test_tributary' };
type Row = { id: string; status: string; customer: string; subscription?: string };
type Page = { data: Row[]; has_more: boolean; url: string };

describe('subscription, invoice and charge routes', () => {
  let state: EmulatorState;
  let app: FastifyInstance;

  beforeAll(() => {
    state = new EmulatorState({ customers: 100, seed: 3, clock: () => Date.UTC(2026, 0, 15, 12) });
    app = buildApp(state);
  });
  afterAll(() => app.close());

  const get = async (url: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await app.inject({ method: 'GET', url, headers: KEY });
    return { status: response.statusCode, body: response.json() };
  };
  const page = async (url: string): Promise<Page> => (await get(url)).body as unknown as Page;
  /** Every object of a list, walking `starting_after` in pages of 7. */
  const walk = async (path: string, query = ''): Promise<Row[]> => {
    const found: Row[] = [];
    for (let after = ''; ;) {
      const next = await page(`${path}?limit=7${query}${after}`);
      found.push(...next.data);
      if (!next.has_more) {
        return found;
      }
      after = `&starting_after=${next.data[next.data.length - 1].id}`;
    }
  };
  const ids = (rows: readonly { id: string }[]): string[] => rows.map((row) => row.id);

  it('lists subscriptions newest first, hiding canceled ones unless status says otherwise', async () => {
    const all = state.billing.subscriptions.all();
    expect(all).toHaveLength(60);
    const canceled = all.filter((sub) => sub.status === 'canceled');
    expect(canceled.length).toBeGreaterThan(0);
    expect(ids(await walk('/v1/subscriptions', '&status=all'))).toEqual(ids(all));
    expect(ids(await walk('/v1/subscriptions'))).toEqual(ids(all.filter((sub) => sub.status !== 'canceled')));
    expect(ids(await walk('/v1/subscriptions', '&status=canceled'))).toEqual(ids(canceled));
    const ended = all.filter((sub) => sub.status === 'canceled' || sub.status === 'incomplete_expired');
    expect(ids(await walk('/v1/subscriptions', '&status=ended'))).toEqual(ids(ended));
    const trialing = await walk('/v1/subscriptions', '&status=trialing');
    expect(trialing.length).toBeGreaterThan(0);
    expect(trialing.every((sub) => sub.status === 'trialing')).toBe(true);
  });

  it('pages backwards with ending_before and filters by customer and created', async () => {
    const all = state.billing.subscriptions.all();
    const before = await page(`/v1/subscriptions?status=all&limit=5&ending_before=${all[12].id}`);
    expect([ids(before.data), before.has_more]).toEqual([ids(all.slice(7, 12)), true]);
    const { customer } = all[4];
    const mine = await page(`/v1/subscriptions?status=all&customer=${customer}`);
    expect(ids(mine.data)).toEqual(ids(all.filter((sub) => sub.customer === customer)));
    const since = await walk('/v1/subscriptions', `&status=all&created[gte]=${all[20].created}`);
    expect(ids(since)).toEqual(ids(all.slice(0, 21)));
  });

  it('filters invoices by customer, subscription and status, and charges by customer', async () => {
    const invoices = state.billing.invoices.all();
    expect(ids(await walk('/v1/invoices'))).toEqual(ids(invoices));
    const [first] = invoices;
    const bySubscription = await page(`/v1/invoices?subscription=${first.subscription}`);
    expect(ids(bySubscription.data)).toEqual(ids(invoices.filter((row) => row.subscription === first.subscription)));
    expect(bySubscription.data.length).toBe(2);
    const byCustomer = await walk('/v1/invoices', `&customer=${first.customer}`);
    expect(ids(byCustomer)).toEqual(ids(invoices.filter((row) => row.customer === first.customer)));
    const open = await walk('/v1/invoices', '&status=open');
    expect(ids(open)).toEqual(ids(invoices.filter((row) => row.status === 'open')));
    const charges = state.billing.charges.all();
    expect(ids(await walk('/v1/charges'))).toEqual(ids(charges));
    const charged = await page(`/v1/charges?customer=${charges[3].customer}&limit=100`);
    expect(ids(charged.data)).toEqual(ids(charges.filter((row) => row.customer === charges[3].customer)));
    expect(charged.url).toBe('/v1/charges');
  });

  it('retrieves each object by id, canceled subscriptions included', async () => {
    const canceled = state.billing.subscriptions.all().find((sub) => sub.status === 'canceled');
    expect(await get(`/v1/subscriptions/${canceled?.id}`)).toEqual({ status: 200, body: canceled });
    const [invoice] = state.billing.invoices.all();
    expect(await get(`/v1/invoices/${invoice.id}`)).toEqual({ status: 200, body: invoice });
    const [charge] = state.billing.charges.all();
    expect(await get(`/v1/charges/${charge.id}`)).toEqual({ status: 200, body: charge });
  });

  it('answers unknown ids, cursors, parameters and statuses as Stripe does', async () => {
    for (const [path, noun] of [
      ['subscriptions', 'subscription'],
      ['invoices', 'invoice'],
      ['charges', 'charge'],
    ]) {
      const missing = await get(`/v1/${path}/xx_nope`);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({
        code: 'resource_missing',
        message: `No such ${noun}: 'xx_nope'`,
        param: 'id',
      });
      const cursor = await get(`/v1/${path}?starting_after=xx_nope`);
      expect(cursor.status).toBe(400);
      expect(cursor.body.error).toMatchObject({ code: 'resource_missing', param: 'starting_after' });
      const unknown = await get(`/v1/${path}?email=a@b.c`);
      expect([unknown.status, unknown.body.error]).toMatchObject([400, { code: 'parameter_unknown', param: 'email' }]);
    }
    const status = await get('/v1/subscriptions?status=bogus');
    expect([status.status, status.body.error]).toMatchObject([400, { param: 'status', type: 'invalid_request_error' }]);
    expect((await get('/v1/invoices?status=trialing')).status).toBe(400);
    expect((await get('/v1/charges?status=succeeded')).status).toBe(400);
  });

  it('counts the objects in the summary and regenerates them on reset', async () => {
    const control = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const response = await app.inject({ method, url: `/_emulator${url}`, payload });
      return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
    };
    expect((await control('GET', '')).body).toMatchObject({
      customers: 100,
      subscriptions: 60,
      invoices: 120,
      charges: 100,
    });
    const reset = await control('POST', '/reset', { customers: 10, subscriptions: 4, invoices: 9, charges: 0 });
    expect(reset.body).toMatchObject({ customers: 10, subscriptions: 4, invoices: 9, charges: 0 });
    expect(((await control('GET', '/invoices')).body.data as Row[]).length).toBe(9);
    expect((await control('POST', '/reset', { customers: 20 })).body).toMatchObject({
      subscriptions: 12,
      invoices: 24,
      charges: 20,
    });
    expect((await control('POST', '/reset', { customers: 0, charges: 2 })).status).toBe(400);
    expect((await control('POST', '/reset', { plans: 2 })).status).toBe(400);
    expect((await control('GET', '')).body).toMatchObject({ customers: 20, subscriptions: 12 });
    expect((await control('POST', '/reset', {})).body).toMatchObject({ customers: 100, subscriptions: 60 });
  });
});
