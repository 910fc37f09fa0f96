/**
 * When to retry a failed sync automatically, and how long to wait.
 *
 * Exponential backoff with full jitter (a random delay between 0 and
 * min(cap, base × 2^(attempt−1))), so many shipments failing together (a Shopify
 * incident, a bulk CSV import) do not retry in lockstep. A wait Shopify asked for
 * (`retryAfterMs`: Retry-After) is a floor. Retryable failures are retried on a time
 * budget, not a count; throttling is pacing and spends nothing (`decideRetry`).
 */
import type { SyncErrorDetails } from "./errors";

export const DEFAULT_RETRY_BASE_MS = 2000;
export const DEFAULT_RETRY_CAP_MS = 15 * 60_000;

/**
 * Milliseconds to wait before the next attempt.
 *
 * @param attempt attempts made so far, 1-based (1 after the first failure). Values
 *   below 1 count as 1.
 * @param error the failure; its `retryAfterMs` is a floor (honoured even above the cap:
 *   retrying sooner than Shopify asked only earns another refusal).
 * @param random a source in [0, 1) (tests pass a fixed one).
 * @returns an integer in [0, max(cap, retryAfterMs)]. Computed for any error; whether
 *   to retry at all is `decideRetry`'s decision.
 */
export function nextRetryDelayMs({
  attempt,
  error,
  random = Math.random,
  baseMs = DEFAULT_RETRY_BASE_MS,
  capMs = DEFAULT_RETRY_CAP_MS,
}: {
  attempt: number;
  error: Pick<SyncErrorDetails, "retryAfterMs">;
  random?: () => number;
  baseMs?: number;
  capMs?: number;
}): number {
  const n = Number.isFinite(attempt) ? Math.max(1, Math.floor(attempt)) : 1;
  // 2^(n-1) overflows to Infinity for large n; min() with the cap keeps it finite.
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(n - 1, 1023));
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  const jittered = Math.floor(r * Math.max(0, ceiling));
  const floor =
    error.retryAfterMs !== undefined && error.retryAfterMs > 0
      ? Math.ceil(error.retryAfterMs)
      : 0;
  return Math.max(jittered, floor);
}

/**
 * The time budget for retrying a failing sync, per shop (`shops.sync_retry_window_minutes`):
 * long enough that a Shopify outage of a few hours heals with nobody involved. Bounds
 * shared with the settings page.
 */
export const DEFAULT_RETRY_WINDOW_MINUTES = 360;
export const RETRY_WINDOW_MIN_MINUTES = 60;
export const RETRY_WINDOW_MAX_MINUTES = 4320;

/** A throttled call waits at least this long (Shopify refills the bucket every second). */
const MIN_PACE_MS = 1000;

export type RetryDecision =
  /** Throttled: pacing, not failure. No attempt is spent and the budget does not apply. */
  | { kind: "pace"; delayMs: number }
  /** Retryable and within the shop's time budget. */
  | { kind: "retry"; delayMs: number }
  /**
   * 同期エラー: a person must fix it (input, permission, data: the error's guidance
   * says what), the shop turned automatic retry off, or the time budget is spent.
   */
  | { kind: "stop"; reason: "needs_person" | "auto_retry_off" | "budget_spent" };

/**
 * What to do after a failed sync call.
 *
 * @param attempt failed attempts so far in this run of failures, this one included
 *   (throttling is not counted): drives the backoff.
 * @param failingSinceMs when this run of failures began (the first failure after the
 *   operator's last command or the last success).
 * @param windowMs the shop's time budget. The last retry is placed at its end, so an
 *   outage shorter than the budget is always outlived.
 */
export function decideRetry({
  error,
  attempt,
  failingSinceMs,
  nowMs,
  windowMs,
  autoRetryEnabled,
  random = Math.random,
  baseMs = DEFAULT_RETRY_BASE_MS,
  capMs = DEFAULT_RETRY_CAP_MS,
}: {
  error: Pick<SyncErrorDetails, "retryable" | "retryAfterMs" | "errorClass">;
  attempt: number;
  failingSinceMs: number;
  nowMs: number;
  windowMs: number;
  autoRetryEnabled: boolean;
  random?: () => number;
  baseMs?: number;
  capMs?: number;
}): RetryDecision {
  if (error.errorClass === "throttled") {
    const wait = Math.max(MIN_PACE_MS, Math.ceil(error.retryAfterMs ?? 0));
    // A little spread, so shipments throttled together do not return together.
    return { kind: "pace", delayMs: wait + Math.floor(Math.min(Math.max(random(), 0), 0.999) * MIN_PACE_MS) };
  }
  if (!error.retryable) return { kind: "stop", reason: "needs_person" };
  if (!autoRetryEnabled) return { kind: "stop", reason: "auto_retry_off" };
  const end = failingSinceMs + windowMs;
  if (nowMs >= end) return { kind: "stop", reason: "budget_spent" };
  const delay = nextRetryDelayMs({ attempt, error, random, baseMs, capMs });
  const floor = error.retryAfterMs && error.retryAfterMs > 0 ? Math.ceil(error.retryAfterMs) : 0;
  return { kind: "retry", delayMs: Math.max(floor, Math.min(delay, end - nowMs)) };
}
