import { DEFAULT_TRACKING_PLAN } from '@app/common';
import { patchTrackingPlan } from './tracking-plan-settings';

describe('patchTrackingPlan', () => {
  const schema = JSON.stringify({ type: 'object', required: ['total'], properties: { total: { type: 'number' } } });

  it('sets a plan, bumps the version on change only, and keeps the current plan when the patch is absent', () => {
    const problems: string[] = [];
    const set = patchTrackingPlan(
      undefined,
      { mode: 'BLOCK', events: [{ name: 'Order Completed', propertiesSchema: schema }, { name: 'Viewed' }] },
      problems,
    );
    expect(problems).toEqual([]);
    expect(set).toEqual({
      mode: 'BLOCK',
      version: 1,
      events: [
        { name: 'Order Completed', properties: JSON.parse(schema) },
        { name: 'Viewed', properties: null },
      ],
      identifyTraits: null,
    });
    expect(patchTrackingPlan(set, { mode: 'BLOCK' }, problems).version).toBe(1);
    expect(patchTrackingPlan(set, { mode: 'FLAG' }, problems).version).toBe(2);
    expect(patchTrackingPlan(set, undefined, problems)).toBe(set);
    expect(patchTrackingPlan(undefined, undefined, problems)).toBe(DEFAULT_TRACKING_PLAN);
  });

  it('refuses bad schemas and names with the path of what to fix', () => {
    const problems: string[] = [];
    const plan = patchTrackingPlan(
      undefined,
      {
        mode: 'BLOCK',
        events: [
          { name: 'A', propertiesSchema: '{"type":"object"' },
          { name: 'B', propertiesSchema: '{"type":"objekt"}' },
          { name: 'A', propertiesSchema: '[1]' },
          { name: '' },
        ],
        identifyTraitsSchema: '{"properties":{"email":{"minLength":-1}}}',
      },
      problems,
    );
    expect(plan).toBe(DEFAULT_TRACKING_PLAN);
    expect(problems).toEqual([
      expect.stringMatching(/^trackingConfig\.trackingPlan\.events\[0\]\.propertiesSchema is not JSON/),
      expect.stringMatching(/^trackingConfig\.trackingPlan\.events\[1\]\.propertiesSchema is not a valid JSON Schema/),
      'trackingConfig.trackingPlan.events[2].name "A" is listed twice',
      expect.stringMatching(
        /^trackingConfig\.trackingPlan\.events\[2\]\.propertiesSchema must be a JSON Schema object/,
      ),
      'trackingConfig.trackingPlan.events[3].name must be 1 to 200 characters',
      expect.stringMatching(/^trackingConfig\.trackingPlan\.identifyTraitsSchema is not a valid JSON Schema/),
    ]);
  });

  it('removes the traits schema with an empty string', () => {
    const problems: string[] = [];
    const withTraits = patchTrackingPlan(undefined, { identifyTraitsSchema: '{"type":"object"}' }, problems);
    expect(withTraits.identifyTraits).toEqual({ type: 'object' });
    expect(patchTrackingPlan(withTraits, { identifyTraitsSchema: '' }, problems)).toMatchObject({
      identifyTraits: null,
      version: 2,
    });
  });
});
