import { DomainException, IdentifierType, SourceKind } from '@app/common';
import { applySettingsPatch, defaultSettings } from './source-settings';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainException) {
      return (error.details?.problems as string[]) ?? [error.message];
    }
    throw error;
  }
  throw new Error('expected INVALID_INPUT');
}

describe(applySettingsPatch.name, () => {
  const js = defaultSettings(SourceKind.JAVASCRIPT);

  it('gives event-stream sources tracking config and cloud apps none', () => {
    expect(js.trackingConfig?.autocapture.pageViews).toBe(true);
    expect(defaultSettings(SourceKind.STRIPE).trackingConfig).toBeNull();
    expect(defaultSettings(SourceKind.STRIPE).identitySettings.mergeOn).toContain(IdentifierType.STRIPE_CUSTOMER_ID);
  });

  it('merges a partial patch onto current settings and normalises origins', () => {
    const sut = applySettingsPatch(SourceKind.JAVASCRIPT, js, {
      trackingConfig: {
        allowedOrigins: ['https://Shop.example.com/', 'https://*.example.com', '*', 'https://shop.example.com'],
        autocapture: { clicks: true },
      },
      rateLimit: { burst: 5000 },
    });
    expect(sut.trackingConfig).toEqual({
      allowedOrigins: ['https://shop.example.com', 'https://*.example.com', '*'],
      autocapture: { pageViews: true, clicks: true, formSubmits: false },
      trackingPlan: { mode: 'ALLOW', version: 0, events: [], identifyTraits: null },
    });
    expect(sut.rateLimit).toEqual({ eventsPerSecond: 1000, burst: 5000 });
  });

  it('validates ranges and says what is allowed', () => {
    expect(problems(() => applySettingsPatch(SourceKind.NODEJS, js, { rateLimit: { eventsPerSecond: 0 } }))).toEqual([
      'rateLimit.eventsPerSecond must be a whole number from 1 to 100000, got 0',
    ]);
    expect(
      problems(() => applySettingsPatch(SourceKind.NODEJS, js, { rateLimit: { eventsPerSecond: 500, burst: 100 } }))[0],
    ).toContain('rateLimit.burst must be a whole number from eventsPerSecond (500)');
    expect(
      problems(() => applySettingsPatch(SourceKind.NODEJS, js, { rateLimit: { eventsPerSecond: 1.5 } })),
    ).toHaveLength(1);
  });

  it('rejects malformed origins and tracking config on cloud apps', () => {
    expect(
      problems(() =>
        applySettingsPatch(SourceKind.JAVASCRIPT, js, {
          trackingConfig: { allowedOrigins: ['ftp://x.com', 'example.com'] },
        }),
      ),
    ).toHaveLength(2);
    expect(
      problems(() =>
        applySettingsPatch(SourceKind.HUBSPOT, defaultSettings(SourceKind.HUBSPOT), {
          trackingConfig: { allowedOrigins: [] },
        }),
      )[0],
    ).toContain('HUBSPOT is a cloud-app source and has no tracking configuration');
  });

  it('keeps merge and attach-only identifier sets disjoint and unique', () => {
    const both = problems(() =>
      applySettingsPatch(SourceKind.IOS, js, {
        identitySettings: { mergeOn: [IdentifierType.EMAIL], attachOnly: [IdentifierType.EMAIL] },
      }),
    );
    expect(both).toEqual(['identitySettings: EMAIL cannot be in both mergeOn and attachOnly; choose one']);
    const twice = problems(() =>
      applySettingsPatch(SourceKind.IOS, js, {
        identitySettings: { mergeOn: [IdentifierType.USER_ID, IdentifierType.USER_ID] },
      }),
    );
    expect(twice).toEqual(['identitySettings.mergeOn lists an identifier type twice']);
  });
});
