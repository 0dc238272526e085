import { startTestApi, type TestApi } from '../utils/api';
import { migrateFresh, requiredEnv, truncateAll } from '../utils/database';
import { gql } from '../utils/gql';

// Each cloud-app source shows where its app must send webhooks: INGEST_PUBLIC_URL + /webhooks/<app>/<id>.
describe('Source.webhookUrl', () => {
  const INGEST = 'https://hooks.example.test:8443';
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    await migrateFresh(requiredEnv('TEST_DATABASE_URL'));
    await truncateAll(requiredEnv('TEST_DATABASE_URL'));
    api = await startTestApi({ INGEST_PUBLIC_URL: INGEST });
    token = (await api.createWorkspace('Webhooks')).adminToken;
  });
  afterAll(() => api.close());

  const create = async (name: string, kind: string): Promise<{ id: string; webhookUrl: string | null }> => {
    const res = await gql(
      api.url,
      'mutation($input: CreateSourceInput!) { createSource(input: $input) { id webhookUrl } }',
      { input: { name, kind, environment: 'PRODUCTION' } },
      token,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.createSource;
  };

  it('is the ingest public URL plus /webhooks/<app>/<sourceId> for cloud apps, null for event streams', async () => {
    const stripe = await create('Billing', 'STRIPE');
    const hubspot = await create('CRM', 'HUBSPOT');
    const shopify = await create('Shop', 'SHOPIFY');
    const web = await create('Website', 'JAVASCRIPT');
    const expected: Record<string, string | null> = {
      [stripe.id]: `${INGEST}/webhooks/stripe/${stripe.id}`,
      [hubspot.id]: `${INGEST}/webhooks/hubspot/${hubspot.id}`,
      [shopify.id]: `${INGEST}/webhooks/shopify/${shopify.id}`,
      [web.id]: null,
    };
    expect(stripe.webhookUrl).toBe(expected[stripe.id]);

    const listed = await gql(api.url, '{ sources(first: 10) { edges { node { id webhookUrl } } } }', {}, token);
    expect(listed.errors).toBeUndefined();
    const nodes = listed.data!.sources.edges.map((e: { node: { id: string; webhookUrl: string | null } }) => e.node);
    expect(
      Object.fromEntries(nodes.map((n: { id: string; webhookUrl: string | null }) => [n.id, n.webhookUrl])),
    ).toEqual(expected);
    const one = await gql(api.url, 'query($id: ID!) { source(id: $id) { webhookUrl } }', { id: shopify.id }, token);
    expect(one.data).toEqual({ source: { webhookUrl: expected[shopify.id] } });
  });
});
