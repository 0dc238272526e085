import { SourceEnvironment, SourceKind, SourceStatus } from '@app/common';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { WriteKeyStatus } from '../source.views';
import './enums';
import { Connection } from './connection.model';
import { IdentitySettingsModel, RateLimitModel, TrackingConfigModel } from './source-settings.model';
import { ObjectDriftModel, SourceTaskQueueModel } from './sync.models';

@ObjectType('WriteKey')
export class WriteKeyModel {
  @Field(() => ID) id: string;
  @Field({ description: 'Public part of the key, shown always; the full key is shown once, when issued.' })
  prefix: string;
  @Field(() => WriteKeyStatus) status: WriteKeyStatus;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) expiresAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
}

@ObjectType('IssuedWriteKey')
export class IssuedWriteKeyModel {
  @Field(() => WriteKeyModel) writeKey: WriteKeyModel;
  @Field({ description: 'The full write key. Shown only in this response: store it now.' })
  secret: string;
}

@ObjectType('SourceCredentialsStatus', {
  description: 'Credentials are write-only: only whether and when they were set.',
})
export class SourceCredentialsStatusModel {
  @Field() isSet: boolean;
  @Field(() => Date, { nullable: true }) updatedAt: Date | null;
}

@ObjectType('Source')
export class SourceModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => SourceKind) kind: SourceKind;
  @Field(() => SourceEnvironment) environment: SourceEnvironment;
  @Field(() => SourceStatus) status: SourceStatus;
  @Field(() => TrackingConfigModel, { nullable: true, description: 'Null for cloud-app sources.' })
  trackingConfig: TrackingConfigModel | null;
  @Field(() => RateLimitModel) rateLimit: RateLimitModel;
  @Field(() => IdentitySettingsModel) identitySettings: IdentitySettingsModel;
  @Field(() => [WriteKeyModel], { description: 'Event-stream sources only; newest first, including past keys.' })
  writeKeys: WriteKeyModel[];
  @Field(() => SourceCredentialsStatusModel, { nullable: true, description: 'Cloud-app sources only.' })
  credentials: SourceCredentialsStatusModel | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Cloud-app sources only: where the app sends its webhooks (INGEST_PUBLIC_URL/webhooks/<app>/<sourceId>).',
  })
  webhookUrl: string | null;
  @Field(() => [SourceTaskQueueModel], {
    description:
      'Worker processes serving this cloud-app source’s activity queue (empty when paused or no worker runs).',
  })
  taskQueues: SourceTaskQueueModel[];
  @Field(() => [ObjectDriftModel], {
    description:
      'Cloud-app sources: per object, the latest drift a full refresh measured (rows the incremental runs ' +
      'missed), with the run; objects without a measured full refresh are absent.',
  })
  drift: ObjectDriftModel[];
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Date, { nullable: true }) deletedAt: Date | null;
}

@ObjectType('SourceConnection')
export class SourceConnectionModel extends Connection('Source', SourceModel) {
  @Field(() => Int) totalCount: number;
}
