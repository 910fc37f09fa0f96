import { describe, expect, it } from "vitest";
import { createSyncError, SYNC_ERROR_CLASSES } from "~/fulfillment/errors";
import {
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_RETRY_CAP_MS,
  nextRetryDelayMs,
  decideRetry,
} from "~/fulfillment/retry-policy";

const transient = createSyncError("transient", "HTTP 503");
const almostOne = () => 0.999999;

describe("nextRetryDelayMs", () => {
  it("grows exponentially: the upper bound doubles per attempt from 2 s", () => {
    const upper = [1, 2, 3, 4, 5, 6].map((attempt) =>
      nextRetryDelayMs({ attempt, error: transient, random: almostOne }),
    );
    expect(upper).toEqual([1999, 3999, 7999, 15999, 31999, 63999]);
    for (let i = 1; i < upper.length; i++)
      expect(upper[i]).toBeGreaterThan(upper[i - 1]);
  });

  it("uses full jitter: random 0 gives 0, random 0.5 gives half the bound", () => {
    expect(
      nextRetryDelayMs({ attempt: 3, error: transient, random: () => 0 }),
    ).toBe(0);
    expect(
      nextRetryDelayMs({ attempt: 3, error: transient, random: () => 0.5 }),
    ).toBe(4000);
  });

  it("never exceeds the cap (15 min by default), however many attempts", () => {
    for (const attempt of [10, 20, 50, 1000, 10_000]) {
      const delay = nextRetryDelayMs({
        attempt,
        error: transient,
        random: almostOne,
      });
      expect(delay).toBeLessThanOrEqual(DEFAULT_RETRY_CAP_MS);
      expect(delay).toBeGreaterThan(DEFAULT_RETRY_CAP_MS - 2);
      expect(Number.isInteger(delay)).toBe(true);
    }
  });

  it("stays within [0, bound] for many random draws, with a real random source", () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const bound = Math.min(
        DEFAULT_RETRY_CAP_MS,
        DEFAULT_RETRY_BASE_MS * 2 ** (attempt - 1),
      );
      for (let i = 0; i < 200; i++) {
        const delay = nextRetryDelayMs({ attempt, error: transient });
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(bound);
      }
    }
  });

  it("honours retryAfterMs as a floor, even above the cap", () => {
    const throttled = createSyncError("throttled", "Throttled", {
      retryAfterMs: 7400,
    });
    expect(
      nextRetryDelayMs({ attempt: 1, error: throttled, random: () => 0 }),
    ).toBe(7400);
    expect(
      nextRetryDelayMs({ attempt: 6, error: throttled, random: almostOne }),
    ).toBe(63999);
    const long = createSyncError("throttled", "Throttled", {
      retryAfterMs: 20 * 60_000,
    });
    expect(
      nextRetryDelayMs({ attempt: 30, error: long, random: almostOne }),
    ).toBe(20 * 60_000);
  });

  it("accepts custom base and cap", () => {
    expect(
      nextRetryDelayMs({
        attempt: 4,
        error: transient,
        random: almostOne,
        baseMs: 100,
        capMs: 500,
      }),
    ).toBe(499);
    expect(
      nextRetryDelayMs({
        attempt: 2,
        error: transient,
        random: () => 0.5,
        baseMs: 100,
        capMs: 500,
      }),
    ).toBe(100);
  });

  it("treats attempt < 1 or non-finite as the first attempt, and clamps a bad random source", () => {
    expect(
      nextRetryDelayMs({ attempt: 0, error: transient, random: almostOne }),
    ).toBe(1999);
    expect(
      nextRetryDelayMs({
        attempt: Number.NaN,
        error: transient,
        random: almostOne,
      }),
    ).toBe(1999);
    expect(
      nextRetryDelayMs({ attempt: 2, error: transient, random: () => 5 }),
    ).toBe(3999);
    expect(
      nextRetryDelayMs({ attempt: 2, error: transient, random: () => -1 }),
    ).toBe(0);
  });
});

describe("decideRetry", () => {
  const H = 3_600_000;
  const base = { attempt: 1, failingSinceMs: 0, nowMs: 0, windowMs: 6 * H, autoRetryEnabled: true, random: () => 0.5 };

  it.each(
    SYNC_ERROR_CLASSES.map(
      (c) => [c, c === "throttled" ? "pace" : ["transient", "outcome_unknown"].includes(c) ? "retry" : "stop"] as const,
    ),
  )("%s → %s (within the budget, auto retry on)", (errorClass, expected) => {
    expect(decideRetry({ ...base, error: createSyncError(errorClass, "m") }).kind).toBe(expected);
  });

  it("throttling is pacing: it waits Retry-After (at least 1 s), whatever the budget or the setting", () => {
    const throttled = createSyncError("throttled", "m", { retryAfterMs: 4000 });
    const late = { ...base, nowMs: 100 * H, autoRetryEnabled: false, random: () => 0 };
    expect(decideRetry({ ...late, error: throttled })).toEqual({ kind: "pace", delayMs: 4000 });
    expect(decideRetry({ ...late, error: createSyncError("throttled", "m") })).toEqual({ kind: "pace", delayMs: 1000 });
  });

  it("errors a person must fix stop at once, with their class", () => {
    for (const c of ["invalid", "not_found", "reauth_required", "missing_scope", "shop_unavailable"] as const) {
      expect(decideRetry({ ...base, error: createSyncError(c, "m") })).toEqual({ kind: "stop", reason: "needs_person" });
    }
  });

  it("retries an outage until the time budget is spent, the last try at its end", () => {
    expect(decideRetry({ ...base, attempt: 30, nowMs: 5.9 * H, error: transient })).toEqual({
      kind: "retry",
      delayMs: 0.1 * H,
    });
    expect(decideRetry({ ...base, attempt: 31, nowMs: 6 * H, error: transient })).toEqual({
      kind: "stop",
      reason: "budget_spent",
    });
  });

  it("outlives any outage shorter than the budget: simulated attempt by attempt", () => {
    for (const outageH of [0.15, 1, 3, 5.5]) {
      let now = 0;
      let attempt = 0;
      let healed = false;
      while (!healed) {
        attempt += 1;
        if (now >= outageH * H) {
          healed = true;
          break;
        }
        const d = decideRetry({ ...base, attempt, nowMs: now, error: transient, random: Math.random });
        if (d.kind !== "retry") break;
        now += d.delayMs;
      }
      expect(healed, `outage of ${outageH} h`).toBe(true);
    }
  });

  it("never retries automatically when the shop turned it off", () => {
    expect(decideRetry({ ...base, autoRetryEnabled: false, error: transient })).toEqual({
      kind: "stop",
      reason: "auto_retry_off",
    });
  });
});
