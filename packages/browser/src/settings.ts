import type { AutocaptureSettings } from './types';

/** A new JAVASCRIPT source's defaults (libs/sources), used when ingest cannot be asked. */
export const DEFAULT_AUTOCAPTURE: AutocaptureSettings = { pageViews: true, clicks: false, formSubmits: false };

/**
 * The source's autocapture settings, from ingest's settings endpoint (the one analytics-next reads), with
 * the page's overrides on top. The fetch is skipped when the overrides say everything.
 */
export async function resolveAutocapture(
  host: string,
  writeKey: string,
  overrides: Partial<AutocaptureSettings> = {},
): Promise<AutocaptureSettings> {
  const complete = ['pageViews', 'clicks', 'formSubmits'].every(
    (k) => typeof overrides[k as keyof AutocaptureSettings] === 'boolean',
  );
  let remote: Partial<AutocaptureSettings> = {};
  if (!complete) {
    try {
      const response = await fetch(`${host}/v1/projects/${encodeURIComponent(writeKey)}/settings`, {
        credentials: 'omit',
      });
      if (response.ok) {
        remote = ((await response.json()) as { autocapture?: Partial<AutocaptureSettings> }).autocapture ?? {};
      } else {
        console.warn(`tributary: ingest refused the settings (${response.status}); using defaults`);
      }
    } catch {
      // Offline or ingest down: the defaults, and the events wait in the queue.
    }
  }
  return { ...DEFAULT_AUTOCAPTURE, ...remote, ...overrides };
}
