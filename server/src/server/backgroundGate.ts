/**
 * When background slices (citation keys, figure counts, agreement records) may run: not
 * while foreground work is in flight (a request, a corpus file being re-read), nor within
 * `quietMs` of its last start or end. A burst of requests (completion as the writer types,
 * hovers as the mouse moves) is then answered without queuing behind a slice at every turn
 * of the event loop; the work resumes once the editor goes quiet. A slice is never held off
 * longer than `maxWaitMs`, so a client that never stops asking cannot starve the counts.
 */
export class BackgroundGate {
  private busy = 0;
  private lastForeground = -Infinity;
  private lastSlice: number;

  constructor(
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastSlice = now();
  }

  /** Foreground work starts; pair with {@link end}. */
  begin(): void {
    this.busy++;
    this.lastForeground = this.now();
  }

  end(): void {
    this.busy = Math.max(0, this.busy - 1);
    this.lastForeground = this.now();
  }

  /** 0 when a slice may run now (and counts it as run), else how long (ms) to wait before asking again. */
  wait(): number {
    const t = this.now();
    const hold = this.busy > 0 ? this.quietMs : this.lastForeground + this.quietMs - t;
    const starved = t - this.lastSlice >= this.maxWaitMs;
    if (hold <= 0 || starved) {
      this.lastSlice = t;
      return 0;
    }
    return Math.min(hold, this.lastSlice + this.maxWaitMs - t);
  }
}
