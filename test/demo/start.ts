/**
 * `npm run demo`: the whole product locally, nothing to configure (see stack.ts).
 * Prints one URL — a local "Shopify admin" with the app inside and a fault panel beside
 * it. Ctrl-C stops everything.
 *
 *   DEMO_PORT        the admin frame's port (default 3100; 0 = any free port)
 *   DEMO_APP_PORT    the app's port (default DEMO_PORT + 1)
 *   DEMO_LOCALE      ja (default) or en
 *   DEMO_VERBOSE=1   also print the app's own output
 */
import { startDemoStack, type DemoStack } from "./stack";

async function main() {
  const t0 = Date.now();
  const framePort = Number(process.env.DEMO_PORT ?? 3100);
  const appPort = process.env.DEMO_APP_PORT
    ? Number(process.env.DEMO_APP_PORT)
    : framePort
      ? framePort + 1
      : 0;
  const verbose = process.env.DEMO_VERBOSE === "1";
  let stack: DemoStack | undefined;
  let stopping = false;

  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[demo] ${reason}: stopping…`);
    await stack?.stop();
    console.log("[demo] stopped");
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
    process.on(signal, () => void stop(signal));

  console.log("[demo] starting Postgres, the Shopify simulator and the app…");
  stack = await startDemoStack({
    framePort,
    appPort,
    locale: process.env.DEMO_LOCALE === "en" ? "en" : "ja",
    log: (line) => console.log(`[demo] ${line}`),
    onAppOutput: (line) => {
      // The app's errors always show; its chatter only when asked for. Once stopping,
      // nothing: Ctrl-C reaches Postgres too, and the app's dying connections are no news.
      if (stopping) return;
      if (verbose || /error|fail|warn/i.test(line))
        console.log(`[app] ${line}`);
    },
  });
  if (stopping) {
    await stack.stop();
    return;
  }
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    `[demo] ready in ${seconds} s. Open:\n\n    ${stack.url}\n\n[demo] Ctrl-C stops everything.`,
  );
}

main().catch((error: unknown) => {
  const inUse =
    /EADDRINUSE/.test(String(error)) ||
    /EADDRINUSE/.test(String((error as Error)?.message));
  console.error("[demo] failed to start:", error);
  if (inUse) {
    console.error(
      "[demo] a port is taken: set DEMO_PORT to a free port (the app uses the next one), or DEMO_PORT=0 for any.",
    );
  }
  process.exit(1);
});
