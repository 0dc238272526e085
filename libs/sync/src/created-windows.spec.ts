import { createdWindows } from './created-windows';

/** Which window (by index) holds an object created at `t`. */
const windowOf = (windows: ReturnType<typeof createdWindows>, t: number): number[] =>
  windows.flatMap((w, i) => ((w.gte === null || t >= w.gte) && (w.lt === null || t < w.lt) ? [i] : []));

describe('createdWindows', () => {
  it('splits the range into equal spans, open below and above', () => {
    expect(createdWindows({ oldest: 1000, newest: 1399 }, 4)).toEqual([
      { gte: null, lt: 1100 },
      { gte: 1100, lt: 1200 },
      { gte: 1200, lt: 1300 },
      { gte: 1300, lt: null },
    ]);
  });

  it('puts every second in exactly one window, also before the oldest and after the newest', () => {
    const windows = createdWindows({ oldest: 17, newest: 1_000_003 }, 7);
    for (const t of [0, 16, 17, 18, 142_874, 142_875, 500_000, 1_000_003, 1_000_004, 2 ** 40]) {
      expect(windowOf(windows, t)).toHaveLength(1);
    }
  });

  it('makes no empty window when the span is shorter than the count, and one for a single second', () => {
    expect(createdWindows({ oldest: 5, newest: 6 }, 4)).toEqual([
      { gte: null, lt: 6 },
      { gte: 6, lt: null },
    ]);
    expect(createdWindows({ oldest: 5, newest: 5 }, 4)).toEqual([{ gte: null, lt: null }]);
  });
});
