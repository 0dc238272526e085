import { classifyHubSpotError } from './hubspot.errors';

// HubSpot's own bodies, as the API answers them (cloud-apis.md §2.1, §2.6).
const AUTH_TEXT = 'Authentication credentials not found. This API supports OAuth 2.0 authentication';
const missingScope = {
  status: 'error',
  message: "This app hasn't been granted all required scopes to make this call.",
  category: 'MISSING_SCOPES',
  errors: [{ message: 'One or more…', context: { requiredGranularScopes: ['crm.objects.deals.read'] } }],
};
const tenSecondly = {
  status: 'error',
  message: 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  policyName: 'TEN_SECONDLY_ROLLING',
};

describe(classifyHubSpotError.name, () => {
  it.each([
    ['401', { code: 401, body: { status: 'error', message: AUTH_TEXT, category: 'INVALID_AUTHENTICATION' } }, 'auth'],
    ['403', { code: 403, body: missingScope }, 'permission'],
    ['429', { code: 429, body: tenSecondly }, 'rate_limited'],
    ['500', { code: 500, body: { message: 'PROVIDER-TEXT-500' } }, 'transient'],
    ['502 without a body', { code: 502, body: 'PROVIDER-TEXT-502' }, 'transient'],
    ['414', { code: 414, body: 'PROVIDER-TEXT-414' }, 'invalid'],
    ['400', { code: 400, body: { message: 'PROVIDER-TEXT-400', category: 'VALIDATION_ERROR' } }, 'invalid'],
  ])('a %s keeps its kind and none of HubSpot’s text', (_what, error, kind) => {
    const classified = classifyHubSpotError(error);
    expect(classified.kind).toBe(kind);
    expect(classified.provider).toBe('hubspot');
    for (const text of ['PROVIDER-TEXT', 'Authentication credentials', 'granted all required']) {
      expect(classified.message).not.toContain(text);
    }
  });

  it('names the missing scope of a 403, and only names that look like scopes', () => {
    expect(classifyHubSpotError({ code: 403, body: missingScope }).message).toContain('crm.objects.deals.read');
    const odd = {
      ...missingScope,
      errors: [{ context: { requiredGranularScopes: ['pat-na1-SECRET token', 'crm.schemas.deals.read'] } }],
    };
    const message = classifyHubSpotError({ code: 403, body: odd }).message;
    expect(message).not.toContain('SECRET');
    expect(message).toContain('crm.schemas.deals.read');
  });

  it('waits as the 429 asks: Retry-After first, else its policy (10 s rolling, 1 s secondly)', () => {
    expect(classifyHubSpotError({ code: 429, body: tenSecondly }).retryAfterMs).toBe(10_000);
    const secondly = { ...tenSecondly, policyName: 'SECONDLY' };
    expect(classifyHubSpotError({ code: 429, body: secondly }).retryAfterMs).toBe(1_000);
    const hinted = { code: 429, body: tenSecondly, headers: { 'retry-after': '3' } };
    expect(classifyHubSpotError(hinted)).toMatchObject({ retryAfterMs: 3_000, providerCode: 'TEN_SECONDLY_ROLLING' });
    const daily = { ...tenSecondly, policyName: 'DAILY' };
    expect(classifyHubSpotError({ code: 429, body: daily }).retryAfterMs).toBeUndefined();
  });
});
