import type Stripe from 'stripe';
import type { ChangeLog, ChangePage, ChangeVersion, RecordChange } from '../core/connector';
import { ProviderError } from '../core/provider-error';
import { changesOf, eventTypesOf, objectChangesOf, versionOf } from './stripe.events';

const PAGE_SIZE = 100;
// Stripe keeps events for 30 days (by its clock); older ones are gone from /v1/events.
const RETENTION_SECONDS = 30 * 24 * 3600;
// Each incremental read starts this long before the saved position: an event can become listed after
// events created later than it (the list is eventually consistent). Replays of applied events change
// nothing: a change applies only when newer than the row's version.
export const LOOKBACK_SECONDS = 5 * 60;

type Call = <T>(fn: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

/**
 * Stripe's change log, /v1/events: listed newest first, so it is read oldest first by paging backwards
 * with `ending_before` from an anchor older than the position (less the lookback). The cursor is the
 * newest event read so far.
 */
export class StripeChangeLog implements ChangeLog {
  constructor(
    private readonly stripe: Stripe,
    private readonly call: Call,
  ) {}

  async head(signal?: AbortSignal): Promise<ChangeVersion> {
    const page = await this.call(() => this.stripe.events.list({ limit: 1 }), signal);
    const newest = page.data[0];
    return newest ? versionOf(newest) : { at: providerNow(page), id: null };
  }

  async gap(position: ChangeVersion, signal?: AbortSignal): Promise<string | null> {
    // The provider's clock (its Date header), not ours: retention is judged by the clock that applies it.
    const now = providerNow(await this.call(() => this.stripe.events.list({ limit: 1 }), signal));
    const horizon = now - RETENTION_SECONDS;
    if (position.at - LOOKBACK_SECONDS >= horizon) {
      return null;
    }
    return (
      `the saved events position (${iso(position.at)}) is older than Stripe's 30-day events horizon ` +
      `(${iso(horizon)} by Stripe's clock)`
    );
  }

  async readChanges(
    object: string,
    position: ChangeVersion,
    cursor: string | null,
    signal?: AbortSignal,
  ): Promise<ChangePage> {
    const types = [...eventTypesOf(object)];
    if (types.length === 0) {
      throw new ProviderError('invalid', `Stripe has no events for object "${object}"`, 'stripe');
    }
    const anchor = cursor ?? (await this.anchorBefore(position.at - LOOKBACK_SECONDS, signal));
    if (anchor === null) {
      return this.readAllSince(object, types, position.at - LOOKBACK_SECONDS, signal);
    }
    const page = await this.call(
      () => this.stripe.events.list({ limit: PAGE_SIZE, types, ending_before: anchor }),
      signal,
    );
    // ending_before: the events just newer than the anchor, still newest first.
    const events = [...page.data].reverse();
    return pageOf(object, events, page.has_more);
  }

  async readChange(id: string, signal?: AbortSignal): Promise<{ object: string; change: RecordChange }[]> {
    return objectChangesOf(await this.call(() => this.stripe.events.retrieve(id), signal));
  }

  /** The newest event (any type) created before `at`: reading backwards from it starts at `at`. */
  private async anchorBefore(at: number, signal?: AbortSignal): Promise<string | null> {
    const page = await this.call(() => this.stripe.events.list({ limit: 1, created: { lt: at } }), signal);
    return page.data[0]?.id ?? null;
  }

  /**
   * No retained event precedes `since` (a young account): nothing to page backwards from, so the window
   * is listed newest first in full and handed over oldest first.
   */
  private async readAllSince(object: string, types: string[], since: number, signal?: AbortSignal) {
    const events: Stripe.Event[] = [];
    for (let after: string | undefined; ;) {
      const page = await this.call(
        () =>
          this.stripe.events.list({
            limit: PAGE_SIZE,
            types,
            created: { gte: since },
            ...(after ? { starting_after: after } : {}),
          }),
        signal,
      );
      events.push(...page.data);
      after = page.data[page.data.length - 1]?.id;
      if (!page.has_more || !after) {
        return pageOf(object, events.reverse(), false);
      }
    }
  }
}

function pageOf(object: string, oldestFirst: Stripe.Event[], hasMore: boolean): ChangePage {
  const newest = oldestFirst[oldestFirst.length - 1];
  return {
    changes: oldestFirst.flatMap((event) => changesOf(event, object)),
    position: newest ? versionOf(newest) : null,
    nextCursor: hasMore && newest ? newest.id : null,
  };
}

/** The provider's clock at its answer, in unix seconds (the Date header Stripe sends with every response). */
function providerNow(response: { lastResponse?: { headers: Record<string, string> | Headers } }): number {
  // The fetch client hands over a Headers object; the node client a plain one.
  const headers = response.lastResponse?.headers;
  const value = headers instanceof Headers ? headers.get('date') : headers?.date;
  const date = Date.parse(value ?? '');
  return Math.floor((Number.isNaN(date) ? Date.now() : date) / 1000);
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
