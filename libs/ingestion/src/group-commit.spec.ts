import { GroupCommit } from './group-commit';

/** A commit that waits until released, recording each group it was given. */
function controlledCommit() {
  const groups: number[][] = [];
  const releases: (() => void)[] = [];
  const commit = (items: number[]): Promise<string[]> => {
    groups.push(items);
    return new Promise((resolve) => releases.push(() => resolve(items.map((i) => `ok${i}`))));
  };
  // The released commit's group answers in microtasks; the next group starts in the check phase after that.
  const releaseNext = async (): Promise<void> => {
    releases.shift()?.();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  };
  return { groups, commit, releaseNext };
}

describe('GroupCommit', () => {
  it('commits a lone submission at once (no timer) and answers after the commit', async () => {
    const c = controlledCommit();
    const group = new GroupCommit(c.commit, 100);
    let answered = false;
    const done = group.submit([1]).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setImmediate(r));
    expect(c.groups).toEqual([[1]]);
    expect(answered).toBe(false);
    await c.releaseNext();
    expect(await done).toEqual(['ok1']);
  });

  it('groups what arrives during a commit into the next one, started as soon as the first returns', async () => {
    const c = controlledCommit();
    const group = new GroupCommit(c.commit, 100);
    const first = group.submit([1]);
    await new Promise((r) => setImmediate(r));
    const second = group.submit([2, 3]);
    const third = group.submit([4]);
    expect(group.waiting).toBe(2);
    expect(c.groups).toEqual([[1]]);
    await c.releaseNext();
    expect(c.groups).toEqual([[1], [2, 3, 4]]);
    await c.releaseNext();
    expect(await Promise.all([first, second, third])).toEqual([['ok1'], ['ok2', 'ok3'], ['ok4']]);
  });

  it('keeps a group under maxItems by whole submissions (an oversized one goes alone)', async () => {
    const c = controlledCommit();
    const group = new GroupCommit(c.commit, 3);
    const sizes = [[1], [2], [3, 4], [5, 6, 7, 8], [9]];
    const all = sizes.map((items) => group.submit(items));
    for (let i = 0; i < sizes.length; i++) {
      await new Promise((r) => setImmediate(r));
      await c.releaseNext();
    }
    await Promise.all(all);
    expect(c.groups).toEqual([[1, 2], [3, 4], [5, 6, 7, 8], [9]]);
  });

  it('fails only the submissions of a failed commit, and keeps going', async () => {
    let calls = 0;
    const group = new GroupCommit(async (items: number[]) => {
      calls++;
      await new Promise((r) => setImmediate(r));
      if (items.includes(0)) {
        throw new Error('boom');
      }
      return items;
    }, 100);
    const bad = group.submit([0]);
    await new Promise((r) => setImmediate(r));
    const good = group.submit([1]);
    await expect(bad).rejects.toThrow('boom');
    expect(await good).toEqual([1]);
    expect(calls).toBe(2);
    expect(await group.submit([2])).toEqual([2]);
  });

  it('joins what is submitted before the event loop moves on into one group, parsed neighbours included', async () => {
    const c = controlledCommit();
    const group = new GroupCommit(c.commit, 100, 2);
    // A neighbour's handler reaches submit a few microtasks later (it awaited its write-key lookup, say).
    const later = async (items: number[]): Promise<string[]> => {
      for (let hop = 0; hop < 5; hop++) {
        await Promise.resolve();
      }
      return group.submit(items);
    };
    const all = [group.submit([1]), later([2]), later([3])];
    await new Promise((r) => setImmediate(r));
    expect(c.groups).toEqual([[1, 2, 3]]);
    await c.releaseNext();
    expect(await Promise.all(all)).toEqual([['ok1'], ['ok2'], ['ok3']]);
  });

  it('with maxInFlight 2, commits a second group while the first runs, and a third when either returns', async () => {
    const c = controlledCommit();
    const group = new GroupCommit(c.commit, 100, 2);
    const first = group.submit([1]);
    await new Promise((r) => setImmediate(r));
    const second = group.submit([2]);
    await new Promise((r) => setImmediate(r));
    expect(c.groups).toEqual([[1], [2]]);
    const third = group.submit([3]);
    const fourth = group.submit([4]);
    await new Promise((r) => setImmediate(r));
    expect(c.groups).toEqual([[1], [2]]);
    await c.releaseNext();
    expect(c.groups).toEqual([[1], [2], [3, 4]]);
    await c.releaseNext();
    await c.releaseNext();
    expect(await Promise.all([first, second, third, fourth])).toEqual([['ok1'], ['ok2'], ['ok3'], ['ok4']]);
  });
});
