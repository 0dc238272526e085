import { EmulatorClock } from './clock';

describe(EmulatorClock.name, () => {
  it('follows its source until pinned, then stands still; advance moves either forward', () => {
    let source = 1_000_000;
    const sut = new EmulatorClock(() => source);
    expect(sut.reading()).toEqual({ now: 1000, pinned: false });
    sut.advance(60);
    source += 5_000;
    expect(sut.nowSeconds()).toBe(1065);
    sut.set(2_000_000_000);
    source += 5_000;
    expect(sut.reading()).toEqual({ now: 2_000_000_000, pinned: true });
    sut.advance(31 * 86_400);
    expect(sut.nowSeconds()).toBe(2_000_000_000 + 31 * 86_400);
    sut.restore();
    expect(sut.reading()).toEqual({ now: 1010, pinned: false });
  });
});
