import { DEFAULT_TRACKING_PLAN, type JsonSchema, TRACKING_PLAN_MODES, type TrackingPlan, planAjv } from '@app/common';
import type { TrackingPlanMode } from '@app/common';

/** A plan change: present fields replace the current ones; schemas are JSON text (as GraphQL sends them). */
export interface TrackingPlanPatch {
  mode?: TrackingPlanMode | null;
  events?: { name: string; propertiesSchema?: string | null }[] | null;
  /** JSON text of the identify traits schema; an empty string removes it. */
  identifyTraitsSchema?: string | null;
}

const MAX_EVENTS = 500;
const MAX_NAME_LENGTH = 200;
const MAX_SCHEMA_BYTES = 64 * 1024;
const PATH = 'trackingConfig.trackingPlan';

/**
 * Applies a plan patch; every problem names the path of what to fix (an event's schema by its index and
 * name). A schema must parse as a JSON object and compile with the plan's Ajv, so ingest never meets a plan
 * it cannot compile. The version goes up only when the plan actually changes.
 */
export function patchTrackingPlan(
  current: TrackingPlan | undefined,
  patch: TrackingPlanPatch | undefined | null,
  problems: string[],
): TrackingPlan {
  const base = current ?? DEFAULT_TRACKING_PLAN;
  if (!patch) {
    return base;
  }
  const before = problems.length;
  const mode = patch.mode ?? base.mode;
  if (!TRACKING_PLAN_MODES.includes(mode)) {
    problems.push(`${PATH}.mode must be one of ${TRACKING_PLAN_MODES.join(', ')}`);
  }
  const events = patch.events ? planEvents(patch.events, problems) : base.events;
  const identifyTraits =
    patch.identifyTraitsSchema === undefined || patch.identifyTraitsSchema === null
      ? base.identifyTraits
      : patch.identifyTraitsSchema === ''
        ? null
        : parseSchema(patch.identifyTraitsSchema, `${PATH}.identifyTraitsSchema`, problems);
  if (problems.length > before) {
    return base;
  }
  const next = { mode, events, identifyTraits };
  const was = { mode: base.mode, events: base.events, identifyTraits: base.identifyTraits };
  const changed = JSON.stringify(next) !== JSON.stringify(was);
  return { ...next, version: changed ? base.version + 1 : base.version };
}

function planEvents(events: NonNullable<TrackingPlanPatch['events']>, problems: string[]): TrackingPlan['events'] {
  if (events.length > MAX_EVENTS) {
    problems.push(`${PATH}.events: at most ${MAX_EVENTS} events, got ${events.length}`);
  }
  const seen = new Set<string>();
  return events.map(({ name, propertiesSchema }, i) => {
    const at = `${PATH}.events[${i}]`;
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
      problems.push(`${at}.name must be 1 to ${MAX_NAME_LENGTH} characters`);
    } else if (seen.has(name)) {
      problems.push(`${at}.name "${name}" is listed twice`);
    }
    seen.add(name);
    const schema = propertiesSchema ? parseSchema(propertiesSchema, `${at}.propertiesSchema`, problems) : null;
    return { name, properties: schema };
  });
}

function parseSchema(text: string, path: string, problems: string[]): JsonSchema | null {
  if (Buffer.byteLength(text, 'utf8') > MAX_SCHEMA_BYTES) {
    problems.push(`${path}: a schema may be at most ${MAX_SCHEMA_BYTES / 1024} KB of JSON`);
    return null;
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    problems.push(`${path} is not JSON (${(error as Error).message}); send the schema as JSON text`);
    return null;
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    problems.push(`${path} must be a JSON Schema object such as {"type":"object"}`);
    return null;
  }
  try {
    planAjv().compile(schema);
  } catch (error) {
    problems.push(`${path} is not a valid JSON Schema: ${(error as Error).message}`);
    return null;
  }
  return schema as JsonSchema;
}
