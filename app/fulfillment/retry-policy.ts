/**
 * When to retry a failed sync automatically, and how long to wait.
 *
 * Exponential backoff with full jitter (a random delay between 0 and
 * min(cap, base × 2^(attempt−1))), so many shipments failing together (a Shopify
 * incident, a bulk CSV import hitting the rate limit) do not retry in lockstep. A wait
 * Shopify asked for (`retryAfterMs`: Retry-After, GraphQL throttle status) is a floor.
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
 *   to retry at all is `shouldRetry`'s decision.
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
 * Whether a failed sync should be retried automatically.
 *
 * False when the error is not retryable (reauth_required, missing_scope, invalid,
 * not_found, shop_unavailable: waiting does not fix them), when the shop turned
 * automatic retry off (the operator retries by hand), or when `attempt` (attempts so
 * far) has reached `maxAttempts`. An outcome_unknown retry must reconcile first; that is
 * the caller's job, this only says "try again".
 */
export function shouldRetry({
  attempt,
  maxAttempts,
  error,
  autoRetryEnabled,
}: {
  attempt: number;
  maxAttempts: number;
  error: Pick<SyncErrorDetails, "retryable">;
  autoRetryEnabled: boolean;
}): boolean {
  return autoRetryEnabled && error.retryable && attempt < maxAttempts;
}
