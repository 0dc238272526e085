import type { ClientSourceLookup } from '@app/ingestion';
import type { SourcesService, WriteKeysService } from '@app/sources';

/**
 * What the SDK config routes tell a client about its source, composed from the sources domain. The route
 * policy has already refused bad keys and sources that take no events; null covers a key revoked since.
 */
export function clientSources(keys: () => WriteKeysService, sources: () => SourcesService): ClientSourceLookup {
  return async (writeKey) => {
    const verified = await keys().verify(writeKey);
    if (!verified) {
      return null;
    }
    const source = await sources().get(verified.workspaceId, verified.sourceId);
    const autocapture = source.settings.trackingConfig?.autocapture;
    return {
      id: source.id,
      name: source.name,
      workspaceId: source.workspaceId,
      updatedAt: source.updatedAt,
      autocapture: {
        pageViews: autocapture?.pageViews ?? false,
        clicks: autocapture?.clicks ?? false,
        formSubmits: autocapture?.formSubmits ?? false,
      },
    };
  };
}
