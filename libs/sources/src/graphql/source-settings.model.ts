import { IdentifierType, type TrackingPlanMode } from '@app/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { TrackingConfig } from '../source-settings';
import { TrackingPlanModeEnum } from './enums';

@ObjectType('AutocaptureSettings')
export class AutocaptureSettingsModel {
  @Field() pageViews: boolean;
  @Field() clicks: boolean;
  @Field() formSubmits: boolean;
}

@ObjectType('TrackingPlanEvent')
export class TrackingPlanEventModel {
  @Field() name: string;
  @Field(() => String, { nullable: true, description: 'JSON Schema of the track call’s properties, as JSON text.' })
  propertiesSchema: string | null;
}

@ObjectType('TrackingPlan')
export class TrackingPlanModel {
  @Field(() => TrackingPlanModeEnum) mode: TrackingPlanMode;
  @Field(() => Int, { description: 'Goes up by one on every change; quarantined events record the version.' })
  version: number;
  @Field(() => [TrackingPlanEventModel], { description: 'Allowed track events; empty: any name.' })
  events: TrackingPlanEventModel[];
  @Field(() => String, { nullable: true, description: 'JSON Schema of identify traits, as JSON text.' })
  identifyTraitsSchema: string | null;
}

@ObjectType('TrackingConfig')
export class TrackingConfigModel {
  @Field(() => [String], {
    description: 'Browser origins allowed to send events (scheme://host[:port], *.domain, or *).',
  })
  allowedOrigins: string[];

  @Field(() => AutocaptureSettingsModel)
  autocapture: AutocaptureSettingsModel;

  @Field(() => TrackingPlanModel)
  trackingPlan: TrackingPlanModel;
}

/** The domain's tracking configuration as GraphQL shows it (schemas as JSON text). */
export function trackingConfigModel(config: TrackingConfig | null): TrackingConfigModel | null {
  if (!config) {
    return null;
  }
  const plan = config.trackingPlan;
  const text = (schema: object | null): string | null => (schema ? JSON.stringify(schema) : null);
  return {
    ...config,
    trackingPlan: {
      mode: plan.mode,
      version: plan.version,
      events: plan.events.map((e) => ({ name: e.name, propertiesSchema: text(e.properties) })),
      identifyTraitsSchema: text(plan.identifyTraits),
    },
  };
}

@ObjectType('RateLimit')
export class RateLimitModel {
  @Field(() => Int) eventsPerSecond: number;
  @Field(() => Int) burst: number;
}

@ObjectType('IdentitySettings')
export class IdentitySettingsModel {
  @Field(() => [IdentifierType], { description: 'Identifier types this source may merge profiles on.' })
  mergeOn: IdentifierType[];

  @Field(() => [IdentifierType], { description: 'Identifier types this source may only attach, never merge on.' })
  attachOnly: IdentifierType[];
}
