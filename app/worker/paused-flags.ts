/**
 * The forbidden flags (paused shops) graphile-worker asks for before every job fetch,
 * kept in memory and refreshed in the background instead of read on each fetch: a
 * NOTIFY wakes every idle worker slot at once, and a query per slot ahead of get_job
 * was a round trip on the path from "queued" to the first Admin API call.
 *
 * A pause is seen at most `refreshMs` late. A job of a just-paused shop taken in that
 * window gets Shopify's refusal again and leaves its shipment pending (the circuit's
 * rule), so staleness costs a call, never a shipment. A shop this process pauses is
 * forbidden at once (`add`).
 */
export class PausedShopFlags {
  private flags: string[] | null = null;
  private refreshing: Promise<string[]> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly read: () => Promise<string[]>;
  private readonly refreshMs: number;

  constructor(read: () => Promise<string[]>, refreshMs = 1_000) {
    this.read = read;
    this.refreshMs = refreshMs;
  }

  /** The flags to pass to get_job: the cached list, read once on first use. */
  get(): string[] | Promise<string[]> {
    return this.flags ?? this.refresh();
  }

  refresh(): Promise<string[]> {
    this.refreshing ??= this.read()
      .then((flags) => {
        this.flags = flags;
        return flags;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  /** Forbid a shop's flag now (this process just paused it). */
  add(shop: string): void {
    const flag = `shop:${shop}`;
    if (this.flags && !this.flags.includes(flag)) this.flags = [...this.flags, flag];
  }

  start(onError: (error: unknown) => void): void {
    this.timer ??= setInterval(() => void this.refresh().catch(onError), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
