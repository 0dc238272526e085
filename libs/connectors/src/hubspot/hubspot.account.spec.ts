import { SourceKind } from '@app/common';
import { hubspotDefinition } from './hubspot.definition';

const RATE = { perSecond: 18, burst: 10 };
const SETTINGS = {
  stripe: { apiBaseUrl: 'http://127.0.0.1:1', requestRate: { live: RATE, test: RATE } },
  hubspot: { apiBaseUrl: 'http://127.0.0.1:1', requestRate: RATE },
  shopify: { apiBaseUrl: 'http://127.0.0.1:1', costRate: { perSecond: 100, burst: 2000 } },
};

describe('HubSpot request rate', () => {
  it("is the configured one (a portal's tier decides HubSpot's limit)", () => {
    expect(hubspotDefinition.account?.rate({ kind: SourceKind.HUBSPOT, accessToken: 'pat-abcdefgh' }, SETTINGS)).toBe(
      RATE,
    );
  });
});
