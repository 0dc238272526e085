import { type JsonSchema, type TrackingPlan, planAjv } from '@app/common';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { TrackingEvent } from './tracking-message';

/** One way an event breaks its source's plan; `field` is the exact path (`event`, `properties.total`). */
export interface PlanViolation {
  code: 'unknown_event' | 'schema_violation';
  field: string;
  reason: string;
}

/** A plan ready for the hot path: FLAG or BLOCK (ALLOW compiles to nothing: no work at all). */
export interface CompiledPlan {
  mode: 'FLAG' | 'BLOCK';
  version: number;
  /** The event's violations; empty when it conforms. */
  check(event: TrackingEvent): PlanViolation[];
}

/** Compiles a plan's schemas once; null for ALLOW (or no plan). */
export function compilePlan(plan: TrackingPlan | null | undefined): CompiledPlan | null {
  if (!plan || plan.mode === 'ALLOW') {
    return null;
  }
  const ajv = planAjv();
  const compile = (schema: JsonSchema | null): ValidateFunction | null => (schema ? ajv.compile(schema) : null);
  const events = new Map(plan.events.map((e) => [e.name, compile(e.properties)]));
  const traits = compile(plan.identifyTraits);
  const { version } = plan;
  return {
    mode: plan.mode,
    version,
    check(event) {
      if (event.type === 'identify') {
        return traits ? schemaViolations(traits, event.traits ?? {}, 'traits') : [];
      }
      if (event.type !== 'track' || events.size === 0) {
        return [];
      }
      const name = event.event ?? '';
      const validate = events.get(name);
      if (validate === undefined) {
        const reason = `"${name}" is not an event of the tracking plan (version ${version}); add it to the plan or fix the name`;
        return [{ code: 'unknown_event', field: 'event', reason }];
      }
      return validate ? schemaViolations(validate, event.payload.properties ?? {}, 'properties') : [];
    },
  };
}

function schemaViolations(validate: ValidateFunction, value: unknown, root: string): PlanViolation[] {
  if (validate(value)) {
    return [];
  }
  return (validate.errors ?? []).map((error) => {
    const field = errorPath(root, error);
    return { code: 'schema_violation', field, reason: `${field} ${error.message ?? 'is invalid'}` };
  });
}

/** `properties.items[0].sku` from Ajv's JSON pointer, naming the missing or extra property itself. */
function errorPath(root: string, error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const named = params.missingProperty ?? params.additionalProperty;
  if (named !== undefined) {
    segments.push(named);
  }
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : `${path}.${s}`), root);
}

const MAX_SOURCES = 10_000;

/**
 * Compiled plans per source, one version each: a plan is compiled once per (source, version) per
 * process, however often the write-key cache resolves the source again.
 */
export class CompiledPlans {
  private readonly bySource = new Map<string, CompiledPlan | null>();
  private readonly versions = new Map<string, string>();

  get(sourceId: string, plan: TrackingPlan | null | undefined): CompiledPlan | null {
    const key = plan ? `${plan.mode}:${plan.version}` : 'none';
    if (this.versions.get(sourceId) === key) {
      return this.bySource.get(sourceId) ?? null;
    }
    if (this.versions.size >= MAX_SOURCES) {
      const oldest = this.versions.keys().next().value as string;
      this.versions.delete(oldest);
      this.bySource.delete(oldest);
    }
    const compiled = compilePlan(plan);
    this.versions.set(sourceId, key);
    this.bySource.set(sourceId, compiled);
    return compiled;
  }
}
