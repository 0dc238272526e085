import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/** What a source does with events its tracking plan does not describe. */
export type TrackingPlanMode = 'ALLOW' | 'FLAG' | 'BLOCK';
export const TRACKING_PLAN_MODES: readonly TrackingPlanMode[] = ['ALLOW', 'FLAG', 'BLOCK'];

/** A JSON Schema as stored (a JSON object; draft-07 / 2019 keywords as Ajv 8 reads them). */
export type JsonSchema = Record<string, unknown>;

export interface TrackingPlanEvent {
  name: string;
  /** The schema of the track call's `properties`; null: any properties. */
  properties: JsonSchema | null;
}

/**
 * A source's tracking plan: ALLOW checks nothing (the default); FLAG stores violating events with their
 * violations; BLOCK quarantines them. `events` non-empty restricts track names to those listed.
 * `version` goes up by one on every change, so compiled validators are cached per (source, version).
 */
export interface TrackingPlan {
  mode: TrackingPlanMode;
  version: number;
  events: TrackingPlanEvent[];
  /** The schema of identify `traits`; null: any traits. */
  identifyTraits: JsonSchema | null;
}

export const DEFAULT_TRACKING_PLAN: TrackingPlan = { mode: 'ALLOW', version: 0, events: [], identifyTraits: null };

/**
 * The one Ajv configuration of plans, used both when a plan is set (a schema it cannot compile is refused)
 * and by ingest (which compiles it): the same options on both sides, so an accepted schema always compiles.
 * allErrors: a client learns every violation of an event at once; strict off: unknown keywords (`title`,
 * vendor extensions) are common in tracking plans exported from other tools; the standard formats (email,
 * date-time, uri, …) are checked, as plans use them for traits.
 */
export function planAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: true });
  addFormats(ajv);
  return ajv;
}
