import { ProviderError } from '@app/connectors';
import { Context } from '@temporalio/activity';
import type { CloudSyncDeps, SyncPageInput, SyncPageResult } from './cloud-sync.activities';
import type { Beat } from './heartbeat';
import { connectorFor } from './source-connector';

/** Engine v1's activity body: one page, committed with its cursor; syncCloudApp finishes the run itself. */
export async function syncOnePage(deps: CloudSyncDeps, input: SyncPageInput, beat: Beat): Promise<SyncPageResult> {
  const { store } = deps;
  const position = await store.position(input.sourceId, input.object, input.syncRunId);
  if (position.done) {
    return { done: true, read: 0 };
  }
  beat({ cursor: position.cursor });
  try {
    const connector = await connectorFor(deps, input.sourceId);
    const signal = Context.current().cancellationSignal;
    const page = await connector.readPage(input.object, position.cursor, signal, input.syncRunId);
    const done = page.nextCursor === null;
    const counts = await store.applyPages({
      ...input,
      from: position.cursor,
      to: { cursor: page.nextCursor ?? position.cursor, done },
      records: page.records,
      pages: 1,
    });
    beat({ cursor: page.nextCursor, read: counts?.read ?? 0 });
    return { done, read: counts?.read ?? 0 };
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'cursor_gone') {
      await store.restartListing(input.sourceId, input.object, input.syncRunId);
      return { done: false, read: 0 };
    }
    throw error;
  }
}
