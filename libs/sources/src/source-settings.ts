import { DomainException, IdentifierType, SourceKind, type TrackingPlan, isCloudAppKind } from '@app/common';
import { DEFAULT_TRACKING_PLAN } from '@app/common';
import { type TrackingPlanPatch, patchTrackingPlan } from './tracking-plan-settings';

export interface AutocaptureSettings {
  pageViews: boolean;
  clicks: boolean;
  formSubmits: boolean;
}

/** Browser-facing settings of event-stream sources; cloud-app sources have none (null). */
export interface TrackingConfig {
  allowedOrigins: string[];
  autocapture: AutocaptureSettings;
  /** Sources created before tracking plans have none stored: read as DEFAULT_TRACKING_PLAN (ALLOW). */
  trackingPlan: TrackingPlan;
}

/** Token bucket applied per source by ingestion: a steady rate and how far a burst may exceed it. */
export interface RateLimit {
  eventsPerSecond: number;
  burst: number;
}

/** Which identifiers a source may merge profiles on, and which it may only attach to a profile. */
export interface IdentitySettings {
  mergeOn: IdentifierType[];
  attachOnly: IdentifierType[];
}

export interface SourceSettings {
  trackingConfig: TrackingConfig | null;
  rateLimit: RateLimit;
  identitySettings: IdentitySettings;
}

/** A settings change: each present field replaces the current value. */
export interface SettingsPatch {
  trackingConfig?: {
    allowedOrigins?: string[];
    autocapture?: Partial<AutocaptureSettings>;
    trackingPlan?: TrackingPlanPatch | null;
  };
  rateLimit?: Partial<RateLimit>;
  identitySettings?: Partial<IdentitySettings>;
}

export const RATE_LIMIT_BOUNDS = { minRate: 1, maxRate: 100_000, maxBurst: 1_000_000 } as const;
const MAX_ORIGINS = 100;
// scheme://host[:port], where host may start with one "*." wildcard label; or "*" for any origin.
const ORIGIN_PATTERN = /^https?:\/\/(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

const EXTERNAL_ID_BY_KIND: Partial<Record<SourceKind, IdentifierType>> = {
  [SourceKind.HUBSPOT]: IdentifierType.HUBSPOT_CONTACT_ID,
  [SourceKind.SHOPIFY]: IdentifierType.SHOPIFY_CUSTOMER_ID,
  [SourceKind.STRIPE]: IdentifierType.STRIPE_CUSTOMER_ID,
};

export function defaultSettings(kind: SourceKind): SourceSettings {
  const externalId = EXTERNAL_ID_BY_KIND[kind];
  return {
    trackingConfig: isCloudAppKind(kind)
      ? null
      : {
          allowedOrigins: [],
          autocapture: { pageViews: true, clicks: false, formSubmits: false },
          trackingPlan: DEFAULT_TRACKING_PLAN,
        },
    rateLimit: { eventsPerSecond: 1000, burst: 2000 },
    identitySettings: externalId
      ? { mergeOn: [externalId, IdentifierType.EMAIL], attachOnly: [IdentifierType.PHONE] }
      : {
          mergeOn: [IdentifierType.USER_ID, IdentifierType.EMAIL],
          attachOnly: [IdentifierType.ANONYMOUS_ID, IdentifierType.PHONE],
        },
  };
}

/** Applies a patch to settings and validates the result; throws INVALID_INPUT listing every problem. */
export function applySettingsPatch(kind: SourceKind, current: SourceSettings, patch: SettingsPatch): SourceSettings {
  const problems: string[] = [];
  const next: SourceSettings = {
    trackingConfig: patchTracking(kind, current.trackingConfig, patch.trackingConfig, problems),
    rateLimit: { ...current.rateLimit, ...definedOnly(patch.rateLimit) },
    identitySettings: { ...current.identitySettings, ...definedOnly(patch.identitySettings) },
  };
  problems.push(...rateLimitProblems(next.rateLimit), ...identityProblems(next.identitySettings));
  if (problems.length > 0) {
    throw DomainException.invalid(problems.join('; '), { problems });
  }
  return next;
}

function patchTracking(
  kind: SourceKind,
  current: TrackingConfig | null,
  patch: SettingsPatch['trackingConfig'],
  problems: string[],
): TrackingConfig | null {
  if (patch === undefined || patch === null) {
    return current;
  }
  if (current === null) {
    problems.push(`trackingConfig: ${kind} is a cloud-app source and has no tracking configuration; remove this field`);
    return null;
  }
  const origins =
    patch.allowedOrigins === undefined ? current.allowedOrigins : normalizeOrigins(patch.allowedOrigins, problems);
  return {
    allowedOrigins: origins,
    autocapture: { ...current.autocapture, ...definedOnly(patch.autocapture) },
    trackingPlan: patchTrackingPlan(current.trackingPlan, patch.trackingPlan, problems),
  };
}

function normalizeOrigins(origins: string[], problems: string[]): string[] {
  if (origins.length > MAX_ORIGINS) {
    problems.push(`trackingConfig.allowedOrigins: at most ${MAX_ORIGINS} origins, got ${origins.length}`);
  }
  const normalized = [...new Set(origins.map((o) => o.trim().toLowerCase().replace(/\/$/, '')))];
  for (const origin of normalized) {
    if (origin !== '*' && !ORIGIN_PATTERN.test(origin)) {
      problems.push(
        `trackingConfig.allowedOrigins: "${origin}" is not an origin; use scheme://host[:port] such as https://shop.example.com, https://*.example.com, or "*"`,
      );
    }
  }
  return normalized;
}

function rateLimitProblems(limit: RateLimit): string[] {
  const { minRate, maxRate, maxBurst } = RATE_LIMIT_BOUNDS;
  const problems: string[] = [];
  if (!Number.isInteger(limit.eventsPerSecond) || limit.eventsPerSecond < minRate || limit.eventsPerSecond > maxRate) {
    problems.push(
      `rateLimit.eventsPerSecond must be a whole number from ${minRate} to ${maxRate}, got ${limit.eventsPerSecond}`,
    );
  }
  if (!Number.isInteger(limit.burst) || limit.burst < limit.eventsPerSecond || limit.burst > maxBurst) {
    problems.push(
      `rateLimit.burst must be a whole number from eventsPerSecond (${limit.eventsPerSecond}) to ${maxBurst}, got ${limit.burst}`,
    );
  }
  return problems;
}

function identityProblems(settings: IdentitySettings): string[] {
  const problems: string[] = [];
  for (const field of ['mergeOn', 'attachOnly'] as const) {
    const values = settings[field];
    if (new Set(values).size !== values.length) {
      problems.push(`identitySettings.${field} lists an identifier type twice`);
    }
  }
  const both = settings.mergeOn.filter((t) => settings.attachOnly.includes(t));
  if (both.length > 0) {
    problems.push(`identitySettings: ${both.join(', ')} cannot be in both mergeOn and attachOnly; choose one`);
  }
  return problems;
}

/** Stored settings as the domain reads them: tracking configurations from before plans get the default. */
export function withTrackingPlan(config: TrackingConfig | null): TrackingConfig | null {
  return config && !config.trackingPlan ? { ...config, trackingPlan: DEFAULT_TRACKING_PLAN } : config;
}

function definedOnly<T extends object>(value: T | undefined | null): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}
