/**
 * The configuration documents existing client SDKs fetch before they send anything, so that they send to
 * this ingest: Segment's analytics-next (`<cdnURL>/v1/projects/<writeKey>/settings`) and RudderStack's
 * SDKs (`/sourceConfig`). Only what those clients read is filled in; no destinations run in the browser.
 */

/** What a client config says about its source (apps/ingest composes it from the sources domain). */
export interface ClientSource {
  id: string;
  name: string;
  workspaceId: string;
  updatedAt: Date;
  autocapture: { pageViews: boolean; clicks: boolean; formSubmits: boolean };
}

/** `INGEST_PUBLIC_URL` (scheme://host[:port]) split as analytics-next wants it: `apiHost` has no scheme. */
export function segmentApiHost(publicUrl: string): { apiHost: string; protocol: 'http' | 'https' } {
  const url = new URL(publicUrl);
  return { apiHost: `${url.host}/v1`, protocol: url.protocol === 'http:' ? 'http' : 'https' };
}

/**
 * Segment's CDN settings, as analytics-next reads them: `integrations['Segment.io']` is where it posts
 * (`${protocol}://${apiHost}/t`, …) and with which key; only one integration means no device-mode
 * destinations are loaded. Its remote metrics are switched off (sampleRate 0) and pointed at us, so a page
 * never calls Segment. `autocapture` is the source's own setting, for our SDK and the curious.
 */
export function segmentSettings(writeKey: string, source: ClientSource, publicUrl: string): Record<string, unknown> {
  const { apiHost, protocol } = segmentApiHost(publicUrl);
  return {
    integrations: {
      'Segment.io': {
        apiKey: writeKey,
        apiHost,
        protocol,
        unbundledIntegrations: [],
        addBundledMetadata: false,
        maybeBundledConfigIds: {},
      },
    },
    plan: { track: { __default: { enabled: true, integrations: {} } }, identify: { __default: { enabled: true } } },
    middlewareSettings: {},
    enabledMiddleware: {},
    remotePlugins: [],
    legacyVideoPluginsEnabled: false,
    metrics: { sampleRate: 0, host: apiHost },
    edgeFunction: {},
    analyticsNextEnabled: true,
    autocapture: source.autocapture,
  };
}

/**
 * RudderStack's source config: the JS SDK (v3) needs `source.id`, an object `source.config` and an array
 * `source.destinations`; the mobile SDKs also read `name`, `writeKey`, `enabled`, `workspaceId` and
 * `updatedAt` (required fields of their models). No destinations and no SDK telemetry. `dataplanes` names
 * ingest as the default data plane, which the JS SDK prefers to its load-time `dataPlaneUrl`.
 */
export function rudderSourceConfig(writeKey: string, source: ClientSource, publicUrl: string): Record<string, unknown> {
  return {
    isHosted: false,
    source: {
      id: source.id,
      name: source.name,
      writeKey,
      workspaceId: source.workspaceId,
      enabled: true,
      updatedAt: source.updatedAt.toISOString(),
      config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
      destinations: [],
      dataplanes: { US: [{ url: publicUrl.replace(/\/+$/, ''), default: true }] },
    },
  };
}
