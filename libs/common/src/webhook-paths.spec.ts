import { isCloudAppKind, SourceKind } from './source-vocabulary';
import { webhookPath, webhookRoute, webhookUrl } from './webhook-paths';

describe(webhookUrl.name, () => {
  const id = '0b6f2c1e-8f7a-4c59-9a55-2f3d7f1e9c10';

  it('builds /webhooks/<app>/<sourceId> on the ingest public URL for each cloud app', () => {
    expect(webhookUrl('https://in.example.com:8443', SourceKind.STRIPE, id)).toBe(
      `https://in.example.com:8443/webhooks/stripe/${id}`,
    );
    expect(webhookUrl('http://127.0.0.1:3001', SourceKind.HUBSPOT, id)).toBe(
      `http://127.0.0.1:3001/webhooks/hubspot/${id}`,
    );
    expect(webhookPath(SourceKind.SHOPIFY, id)).toBe(`/webhooks/shopify/${id}`);
  });

  it('gives every cloud-app kind a webhook path and no event-stream kind one', () => {
    for (const kind of Object.values(SourceKind)) {
      expect(webhookPath(kind, id) !== null).toBe(isCloudAppKind(kind));
    }
  });

  it('builds paths the route of the same app matches', () => {
    expect(webhookRoute('stripe')).toBe('/webhooks/stripe/:sourceId');
    expect(webhookPath(SourceKind.STRIPE, 'a/b')).toBe('/webhooks/stripe/a%2Fb');
  });
});
