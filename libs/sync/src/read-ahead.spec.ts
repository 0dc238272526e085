import type { Page } from '@app/connectors';
import { ReadAhead, type ReadLimits } from './read-ahead';

/** A listing of `count` pages whose cursors are "1", "2", …; records what was requested. */
function listing(count: number, fail?: { at: string; error: Error }) {
  const requested: (string | null)[] = [];
  const read = async (cursor: string | null): Promise<Page> => {
    requested.push(cursor);
    await new Promise((resolve) => setImmediate(resolve));
    if (fail && cursor === fail.at) {
      throw fail.error;
    }
    const n = cursor === null ? 1 : Number(cursor) + 1;
    return { records: [{ externalId: `r${n}`, payload: {} }], nextCursor: n < count ? String(n) : null };
  };
  return { read, requested };
}

const limits = (overrides: Partial<ReadLimits> = {}): ReadLimits => ({
  maxPages: 100,
  deadline: Date.now() + 60_000,
  depth: 2,
  ...overrides,
});

async function drain(reader: ReadAhead): Promise<string[][]> {
  const takes: string[][] = [];
  for (let pages = await reader.take(); pages.length > 0; pages = await reader.take()) {
    takes.push(pages.map((p) => p.page.records[0].externalId));
  }
  return takes;
}

describe('ReadAhead', () => {
  it('hands every page over once, in order, each with the cursor it was read from, and ends at the last', async () => {
    const { read, requested } = listing(5);
    const reader = new ReadAhead(read, null, limits());
    const first = await reader.take();
    expect(first[0].from).toBeNull();
    const rest = await drain(reader);
    expect([first.map((p) => p.page.records[0].externalId), ...rest].flat()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(requested).toEqual([null, '1', '2', '3', '4']);
  });

  it('reads ahead while the writer is busy, never more than `depth` pages, and gives them over together', async () => {
    const { read, requested } = listing(10);
    const reader = new ReadAhead(read, null, limits({ depth: 3 }));
    expect(await reader.take()).toHaveLength(1);
    // The writer is slow: meanwhile the reader fills the buffer up to depth and waits.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requested).toHaveLength(4);
    expect((await reader.take()).map((p) => p.from)).toEqual(['1', '2', '3']);
    reader.stop();
  });

  it('stops after maxPages, and at the deadline', async () => {
    const capped = listing(10);
    expect((await drain(new ReadAhead(capped.read, null, limits({ maxPages: 3 })))).flat()).toEqual(['r1', 'r2', 'r3']);
    const late = listing(10);
    expect(await drain(new ReadAhead(late.read, null, limits({ deadline: Date.now() - 1 })))).toEqual([]);
    expect(late.requested).toEqual([]);
  });

  it('gives the pages read before a failure first, then throws it', async () => {
    const error = new Error('upstream 500');
    const { read } = listing(10, { at: '3', error });
    const reader = new ReadAhead(read, null, limits({ depth: 5 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await reader.take()).map((p) => p.page.records[0].externalId)).toEqual(['r1', 'r2', 'r3']);
    await expect(reader.take()).rejects.toBe(error);
  });

  it('requests nothing more once stopped', async () => {
    const { read, requested } = listing(10);
    const reader = new ReadAhead(read, '4', limits({ depth: 1 }));
    expect((await reader.take())[0].from).toBe('4');
    reader.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requested.length).toBeLessThanOrEqual(2);
  });
});
