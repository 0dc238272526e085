import { acceptedSecrets, rotateWebhookSecret } from './webhook-secrets';

describe('rotateWebhookSecret', () => {
  it('makes the new secret current and keeps the one it replaces as previous, dropping the older', () => {
    const first = rotateWebhookSecret(undefined, 'whsec_a');
    expect(first).toEqual({ current: 'whsec_a' });
    const second = rotateWebhookSecret(first, 'whsec_b');
    expect(second).toEqual({ current: 'whsec_b', previous: 'whsec_a' });
    expect(rotateWebhookSecret(second, 'whsec_c')).toEqual({ current: 'whsec_c', previous: 'whsec_b' });
    expect(acceptedSecrets(rotateWebhookSecret(second, 'whsec_c'))).toEqual(['whsec_c', 'whsec_b']);
  });

  it('changes nothing when the current secret is set again (previous stays accepted)', () => {
    const secrets = { current: 'whsec_b', previous: 'whsec_a' };
    expect(rotateWebhookSecret(secrets, 'whsec_b')).toBe(secrets);
    expect(acceptedSecrets(undefined)).toEqual([]);
  });
});
