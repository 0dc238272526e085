import { IdentifierType } from '@app/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import './enums';

@ObjectType('AutocaptureSettings')
export class AutocaptureSettingsModel {
  @Field() pageViews: boolean;
  @Field() clicks: boolean;
  @Field() formSubmits: boolean;
}

@ObjectType('TrackingConfig')
export class TrackingConfigModel {
  @Field(() => [String], {
    description: 'Browser origins allowed to send events (scheme://host[:port], *.domain, or *).',
  })
  allowedOrigins: string[];

  @Field(() => AutocaptureSettingsModel)
  autocapture: AutocaptureSettingsModel;
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
