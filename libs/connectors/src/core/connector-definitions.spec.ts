import { SourceKind, isCloudAppKind } from '@app/common';
import { createConnector } from './connector-registry';
import { CLOUD_APP_KINDS, CONNECTOR_DEFINITIONS, connectorDefinition, syncObjects } from './connector-definitions';
import { checkCredentials } from './credentials';
import { ProviderError } from './provider-error';

const RATE = { perSecond: 20, burst: 5 };
const SETTINGS = {
  stripe: { apiBaseUrl: 'http://127.0.0.1:1', requestRate: { live: RATE, test: RATE } },
  hubspot: { apiBaseUrl: 'http://127.0.0.1:1', requestRate: RATE },
  shopify: { apiBaseUrl: 'http://127.0.0.1:1', costRate: { perSecond: 100, burst: 2000 } },
};
const NO_BUDGET = { take: (): Promise<void> => Promise.resolve() };

describe('CONNECTOR_DEFINITIONS', () => {
  it('has one definition per cloud-app kind, with unique keys and input names', () => {
    const cloudKinds = Object.values(SourceKind).filter(isCloudAppKind);
    expect([...CLOUD_APP_KINDS].sort()).toEqual(cloudKinds.sort());
    const keys = CONNECTOR_DEFINITIONS.map((d) => d.key);
    const inputs = CONNECTOR_DEFINITIONS.map((d) => d.credentials.inputName);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(inputs).size).toBe(inputs.length);
  });

  it('gives every object a primary key and a cursor field, and a factory to every app with objects', () => {
    for (const definition of CONNECTOR_DEFINITIONS) {
      for (const object of definition.objects) {
        expect(object.primaryKey).toBeTruthy();
        expect(object.cursorField).toBeTruthy();
      }
      expect(definition.objects.length === 0 || 'create' in definition).toBe(true);
      // Provider rate limits are per account: whatever can sync names how to find its account.
      expect('account' in definition).toBe('create' in definition);
    }
  });

  it('derives the objects a source syncs from its definition', () => {
    expect(syncObjects(SourceKind.STRIPE)).toEqual(['customers', 'subscriptions', 'invoices', 'charges', 'trials']);
    expect(syncObjects(SourceKind.HUBSPOT)).toEqual([
      'contacts',
      'companies',
      'deals',
      'contact_companies',
      'deal_contacts',
      'deal_companies',
    ]);
    expect(syncObjects(SourceKind.SHOPIFY)).toEqual(['customers', 'orders', 'products']);
    expect(syncObjects(SourceKind.JAVASCRIPT)).toEqual([]);
    expect(connectorDefinition(SourceKind.GTM)).toBeUndefined();
  });
});

describe(createConnector.name, () => {
  it('builds the connector from the definition, with the process settings', () => {
    const connector = createConnector({ kind: SourceKind.STRIPE, secretKey: 'sk_test_abcd1234' }, SETTINGS, NO_BUDGET);
    expect(connector.kind).toBe(SourceKind.STRIPE);
    expect(connector.listObjects().map((o) => o.name)).toEqual(syncObjects(SourceKind.STRIPE));
    const hubspot = createConnector({ kind: SourceKind.HUBSPOT, accessToken: 'pat-abcdefgh' }, SETTINGS, NO_BUDGET);
    expect(hubspot.listObjects().map((o) => o.name)).toEqual(syncObjects(SourceKind.HUBSPOT));
  });

  it('refuses, non-retryably, an app whose definition has no connector', () => {
    const build = () => createConnector({ kind: SourceKind.JAVASCRIPT } as never, SETTINGS, NO_BUDGET);
    expect(build).toThrow(ProviderError);
    expect(build).toThrow('JAVASCRIPT syncs are not available yet');
  });
});

describe(checkCredentials.name, () => {
  const stripe = connectorDefinition(SourceKind.STRIPE)!;
  const shopify = connectorDefinition(SourceKind.SHOPIFY)!;

  it('keeps only the declared fields, in canonical form', () => {
    expect(checkCredentials(stripe, { secretKey: 'rk_live_abcd1234', extra: 'x' })).toEqual({
      ok: true,
      credentials: { kind: SourceKind.STRIPE, secretKey: 'rk_live_abcd1234' },
    });
    const shop = checkCredentials(shopify, { shopDomain: ' My-Store.myshopify.com ', accessToken: 'shpat_12345678' });
    expect(shop).toEqual({
      ok: true,
      credentials: { kind: SourceKind.SHOPIFY, shopDomain: 'my-store.myshopify.com', accessToken: 'shpat_12345678' },
    });
  });

  it('names the field to fix and never echoes the value', () => {
    const bad = checkCredentials(stripe, { secretKey: 'pk_test_secretvalue' });
    expect(bad).toEqual({ ok: false, problem: expect.stringMatching(/^stripe\.secretKey must be a Stripe secret/) });
    expect(JSON.stringify(bad)).not.toContain('secretvalue');
    expect(checkCredentials(shopify, { shopDomain: 'my-store.myshopify.com' })).toEqual({
      ok: false,
      problem: expect.stringMatching(/^shopify\.accessToken must be an Admin API access token/),
    });
  });
});
