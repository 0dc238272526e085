import { isCloudAppKind, isEventStreamKind, webhookUrl } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Inject, Injectable } from '@nestjs/common';
import { SourceCredentialsService } from '../source-credentials.service';
import { SourceSyncsService } from '../source-syncs.service';
import type { SourceView } from '../source.views';
import { WriteKeysService } from '../write-keys.service';
import { trackingConfigModel } from './source-settings.model';
import type { SourceModel } from './source.model';

/** Builds GraphQL Source models from domain views, loading keys and credential status in bulk. */
@Injectable()
export class SourceModelMapper {
  constructor(
    private readonly writeKeys: WriteKeysService,
    private readonly credentials: SourceCredentialsService,
    private readonly syncs: SourceSyncsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async one(view: SourceView): Promise<SourceModel> {
    const [model] = await this.many([view]);
    return model;
  }

  async many(views: SourceView[]): Promise<SourceModel[]> {
    const live = views.filter((v) => !v.deletedAt);
    const keys = await this.writeKeys.listForSources(live.filter((v) => isEventStreamKind(v.kind)).map((v) => v.id));
    const cloud = live.filter((v) => isCloudAppKind(v.kind)).map((v) => v.id);
    // A deleted source keeps its sealed credentials until the purge, so deletedSources shows them as set.
    const creds = await this.credentials.statusFor(views.filter((v) => isCloudAppKind(v.kind)).map((v) => v.id));
    const queues = await this.syncs.servedQueues(cloud);
    const drift = await this.syncs.latestDrift(cloud);
    return views.map((v) => ({
      id: v.id,
      name: v.name,
      description: v.description,
      kind: v.kind,
      environment: v.environment,
      status: v.status,
      trackingConfig: trackingConfigModel(v.settings.trackingConfig),
      rateLimit: v.settings.rateLimit,
      identitySettings: v.settings.identitySettings,
      writeKeys: keys.get(v.id) ?? [],
      credentials: isCloudAppKind(v.kind) ? pickStatus(creds.get(v.id)) : null,
      webhookUrl: webhookUrl(this.config.ingest.publicUrl, v.kind, v.id),
      taskQueues: (queues.get(v.id) ?? []).map((q) => ({
        taskQueue: q.taskQueue,
        workerId: q.workerId,
        servingSince: q.servingSince,
        heartbeatAt: q.heartbeatAt,
      })),
      drift: drift.get(v.id) ?? [],
      createdAt: v.createdAt,
      updatedAt: v.updatedAt,
      deletedAt: v.deletedAt,
    }));
  }
}

function pickStatus(status: { isSet: boolean; updatedAt: Date | null } | undefined): {
  isSet: boolean;
  updatedAt: Date | null;
} {
  return { isSet: status?.isSet ?? false, updatedAt: status?.updatedAt ?? null };
}
