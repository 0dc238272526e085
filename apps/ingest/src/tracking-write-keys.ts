import { SourceStatus, isEventStreamKind } from '@app/common';
import { CompiledPlans, type WriteKeyResolution, type WriteKeyResolver } from '@app/ingestion';
import type { SourcesService, WriteKeysService } from '@app/sources';

/**
 * The tracking API's view of a write key, composed from the sources domain: unknown, revoked or expired
 * keys are 401; a source that cannot take events now (paused, disabled, a cloud app) is 403 saying why.
 */
export function trackingWriteKeys(keys: () => WriteKeysService, sources: () => SourcesService): WriteKeyResolver {
  // Compiled once per (source, plan version) in this process; the write-key cache re-resolves every second.
  const plans = new CompiledPlans();
  return async (writeKey: string): Promise<WriteKeyResolution> => {
    const verified = await keys().verify(writeKey);
    if (!verified) {
      return { ok: false, status: 401, reason: 'Unknown, revoked or expired write key' };
    }
    const source = await sources().get(verified.workspaceId, verified.sourceId);
    if (!isEventStreamKind(source.kind)) {
      return {
        ok: false,
        status: 403,
        reason: `${source.kind} is a cloud-app source: it syncs with credentials and takes no events here`,
      };
    }
    if (source.status !== SourceStatus.ACTIVE) {
      const how = source.status === SourceStatus.PAUSED ? 'resume it to accept events' : 'the system disabled it';
      return { ok: false, status: 403, reason: `The source is ${source.status.toLowerCase()}: ${how}` };
    }
    return {
      ok: true,
      sourceId: source.id,
      allowedOrigins: source.settings.trackingConfig?.allowedOrigins ?? [],
      rateLimit: source.settings.rateLimit,
      plan: plans.get(source.id, source.settings.trackingConfig?.trackingPlan),
    };
  };
}
