// The emulator's controllable clock, in milliseconds. It follows real time (or the `clock` option) until a test
// pins it; `advance` moves it from wherever it is. Records, the search index lag, bulk operations and webhook
// timestamps read it; the cost bucket leaks in real monotonic time, because clients wait in real time.

export interface ClockReading {
  nowMs: number;
  iso: string;
  pinned: boolean;
}

export class EmulatorClock {
  private pinnedMs: number | undefined;
  private offsetMs = 0;

  constructor(private readonly source: () => number = Date.now) {}

  nowMs(): number {
    return (this.pinnedMs ?? this.source()) + this.offsetMs;
  }

  /** Pins the clock at `ms` (epoch milliseconds), forgetting earlier advances. */
  set(ms: number): void {
    this.pinnedMs = ms;
    this.offsetMs = 0;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  restore(): void {
    this.pinnedMs = undefined;
    this.offsetMs = 0;
  }

  reading(): ClockReading {
    const nowMs = this.nowMs();
    return { nowMs, iso: new Date(nowMs).toISOString(), pinned: this.pinnedMs !== undefined };
  }
}
