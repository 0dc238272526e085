// The controllable clock the HubSpot and Shopify emulators share, in milliseconds. It follows real time (or the
// `clock` option) until a test pins it; `advance` moves it from wherever it is. Records, search lag, bulk jobs and
// webhook timestamps read it; throttling windows and cost buckets use real monotonic time, because clients wait in
// real time. (The Stripe emulator keeps its own, in Unix seconds as Stripe stamps everything.)

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
