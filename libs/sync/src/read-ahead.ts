import type { Page } from '@app/connectors';

// Pages read ahead of the writer; the writer commits all of them in one transaction when it gets behind.
export const READ_AHEAD_PAGES = 4;

export interface ReadLimits {
  /** Pages to read at most. */
  maxPages: number;
  /** No page is requested after this time (ms since the epoch). */
  deadline: number;
  /** Pages read but not yet taken, at most: bounds memory, and how far the reader runs ahead of the writer. */
  depth: number;
}

export interface ReadPage {
  /** The cursor this page was read from. */
  from: string | null;
  page: Page;
}

/**
 * Reads a listing's pages ahead of their writer, so the provider's latency and the database's writes
 * overlap: while the writer commits what it took, the next pages are already being fetched. A read error
 * surfaces only after the pages read before it were taken, so they can still be committed.
 */
export class ReadAhead {
  private buffer: ReadPage[] = [];
  private failure: { error: unknown } | undefined;
  private ended = false;
  private stopped = false;
  private onPages?: () => void;
  private onRoom?: () => void;

  constructor(read: (cursor: string | null) => Promise<Page>, from: string | null, limits: ReadLimits) {
    void this.run(read, from, limits);
  }

  /** Every page read since the last take (at least one), or [] when the reading is over. */
  async take(): Promise<ReadPage[]> {
    while (this.buffer.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => (this.onPages = resolve));
    }
    if (this.buffer.length > 0) {
      const pages = this.buffer;
      this.buffer = [];
      this.onRoom?.();
      return pages;
    }
    if (this.failure) {
      throw this.failure.error;
    }
    return [];
  }

  /** The writer is done (or gave up): read nothing more. */
  stop(): void {
    this.stopped = true;
    this.onRoom?.();
  }

  private async run(read: (cursor: string | null) => Promise<Page>, from: string | null, limits: ReadLimits) {
    let cursor = from;
    try {
      for (let pages = 0; pages < limits.maxPages && Date.now() < limits.deadline; pages++) {
        while (this.buffer.length >= limits.depth && !this.stopped) {
          await new Promise<void>((resolve) => (this.onRoom = resolve));
        }
        if (this.stopped) {
          break;
        }
        const page = await read(cursor);
        this.buffer.push({ from: cursor, page });
        this.onPages?.();
        if (page.nextCursor === null) {
          break;
        }
        cursor = page.nextCursor;
      }
    } catch (error) {
      this.failure = { error };
    }
    this.ended = true;
    this.onPages?.();
  }
}
