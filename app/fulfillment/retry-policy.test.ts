import { describe, expect, it } from "vitest";
import { createSyncError, SYNC_ERROR_CLASSES } from "./errors";
import {
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_RETRY_CAP_MS,
  nextRetryDelayMs,
  shouldRetry,
} from "./retry-policy";

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

describe("shouldRetry", () => {
  it.each(
    SYNC_ERROR_CLASSES.map(
      (c) =>
        [c, ["throttled", "transient", "outcome_unknown"].includes(c)] as const,
    ),
  )("%s → %s (attempts left, auto retry on)", (errorClass, expected) => {
    expect(
      shouldRetry({
        attempt: 1,
        maxAttempts: 8,
        error: createSyncError(errorClass, "m"),
        autoRetryEnabled: true,
      }),
    ).toBe(expected);
  });

  it("stops when the attempts so far reach maxAttempts", () => {
    expect(
      shouldRetry({
        attempt: 7,
        maxAttempts: 8,
        error: transient,
        autoRetryEnabled: true,
      }),
    ).toBe(true);
    expect(
      shouldRetry({
        attempt: 8,
        maxAttempts: 8,
        error: transient,
        autoRetryEnabled: true,
      }),
    ).toBe(false);
    expect(
      shouldRetry({
        attempt: 9,
        maxAttempts: 8,
        error: transient,
        autoRetryEnabled: true,
      }),
    ).toBe(false);
    expect(
      shouldRetry({
        attempt: 1,
        maxAttempts: 1,
        error: transient,
        autoRetryEnabled: true,
      }),
    ).toBe(false);
  });

  it("never retries automatically when the shop turned it off", () => {
    expect(
      shouldRetry({
        attempt: 1,
        maxAttempts: 8,
        error: transient,
        autoRetryEnabled: false,
      }),
    ).toBe(false);
  });
});
