import { buildBrowserSdk, OverBudgetError } from './browser-sdk-build';

// The budget check runs on the real bundle: esbuild builds it in about a second.
describe('buildBrowserSdk', () => {
  it('fails past the size budget, naming the measured size, before writing anything', async () => {
    await expect(buildBrowserSdk({ declarations: false, budgetBytes: 1_000 })).rejects.toThrow(OverBudgetError);
    await expect(buildBrowserSdk({ declarations: false, budgetBytes: 1_000 })).rejects.toThrow(
      /tributary\.min\.js is \d+ bytes min\+gzip, over the 1000-byte budget/,
    );
  });

  it('measures the served bundle within the 10 KB budget', async () => {
    const { gzipBytes, minBytes } = await buildBrowserSdk({ declarations: false });
    expect(gzipBytes).toBeGreaterThan(1_000);
    expect(gzipBytes).toBeLessThanOrEqual(10 * 1024);
    expect(minBytes).toBeGreaterThan(gzipBytes);
  });
});
