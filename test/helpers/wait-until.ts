/**
 * Polls `probe` until it returns a truthy value (returned), or throws naming `what` once
 * `timeoutMs` has passed. For conditions another process brings about (a worker, Shopify).
 * `what` may be a function: it is called only on a timeout, to say what was seen by then.
 */
export async function waitUntil<T>(
  what: string | (() => string),
  probe: () => Promise<T | null | false>,
  timeoutMs: number,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${typeof what === "string" ? what : what()}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
