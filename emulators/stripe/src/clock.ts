// The emulator's controllable clock. It follows its source (real time, or the `clock` option) until a test
// pins it with `now`; `advance` moves it forward from wherever it is. Everything the emulator stamps reads it.

export interface ClockReading {
  /** Unix seconds. */
  now: number;
  /** True once `now` was set: the clock then stands still between calls, so tests can expect exact stamps. */
  pinned: boolean;
}

export class EmulatorClock {
  private pinnedMs: number | undefined;
  private offsetMs = 0;

  constructor(private readonly source: () => number = Date.now) {}

  /** Milliseconds since the epoch, like Date.now. */
  nowMs(): number {
    return (this.pinnedMs ?? this.source()) + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** Pins the clock at `seconds` (unix), forgetting earlier advances. */
  set(seconds: number): void {
    this.pinnedMs = seconds * 1000;
    this.offsetMs = 0;
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** Back to following the source, as at start. */
  restore(): void {
    this.pinnedMs = undefined;
    this.offsetMs = 0;
  }

  reading(): ClockReading {
    return { now: this.nowSeconds(), pinned: this.pinnedMs !== undefined };
  }
}
