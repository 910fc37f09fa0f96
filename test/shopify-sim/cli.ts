/**
 * `npm run simulator`: the Shopify simulator as a process, for the offline demo and
 * browser tests. Loads the demo shop, makes sure the app has a token for it, prints
 * where it listens, and stops cleanly on SIGINT/SIGTERM.
 *
 *   --port <n> | SIMULATOR_PORT        default 4010 (0 = any free port)
 *   --seed <n> | SIMULATOR_SEED        fault PRNG seed, default 1
 *   --empty                            start without the demo shop
 *   SIMULATOR_DEMO_TOKEN               install this offline token for the demo shop;
 *                                      otherwise one is obtained by token exchange
 *   SHOPIFY_API_KEY / SHOPIFY_API_SECRET  the app's credentials (session tokens are
 *                                      verified with them); simulator defaults otherwise
 *
 * Prints `SIMULATOR_ORIGIN=<origin>` and `SIMULATOR_DEMO_TOKEN=<token>` lines for a parent
 * process to read.
 */
import { parseArgs } from "node:util";
import { exchangeToken } from "./client";
import { loadDemoShop } from "./demo";
import { startSimulator } from "./server";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      seed: { type: "string" },
      empty: { type: "boolean", default: false },
    },
  });
  const port = Number(values.port ?? process.env.SIMULATOR_PORT ?? 4010);
  const seed = Number(values.seed ?? process.env.SIMULATOR_SEED ?? 1);
  if (!Number.isInteger(port) || port < 0) throw new Error(`--port / SIMULATOR_PORT must be a port number, got ${port}`);

  const simulator = await startSimulator({
    port,
    seed,
    apiKey: process.env.SHOPIFY_API_KEY || undefined,
    apiSecret: process.env.SHOPIFY_API_SECRET || undefined,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[shopify-sim] ${signal}: stopping`);
    await simulator.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  if (!values.empty) {
    let demoShop;
    try {
      ({ demoShop } = await import("../demo/demo-data"));
    } catch (error) {
      await simulator.close();
      throw new Error("cannot load test/demo/demo-data.ts (run with --empty to start without the demo shop)", {
        cause: error,
      });
    }
    const loaded = await loadDemoShop(simulator.control, demoShop, {
      token: process.env.SIMULATOR_DEMO_TOKEN || undefined,
    });
    let token = loaded.token;
    if (!token) {
      // As the app's embedded auth would: a session token from "admin", exchanged over HTTP.
      const { sessionToken } = simulator.control.sessionToken({ shop: loaded.shop });
      const exchanged = await exchangeToken({
        origin: simulator.origin,
        shop: loaded.shop,
        apiKey: simulator.apiKey,
        apiSecret: simulator.apiSecret,
        sessionToken,
      });
      if (exchanged.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(exchanged.body)}`);
      token = (exchanged.body as { access_token: string }).access_token;
    }
    console.log(
      `[shopify-sim] demo shop ${loaded.shop}: ${loaded.orders} orders, ${loaded.fulfillments} fulfillments already synced`,
    );
    console.log(`SIMULATOR_DEMO_TOKEN=${token}`);
  }
  console.log(`[shopify-sim] Admin API ${simulator.apiVersion} at ${simulator.graphqlUrl}`);
  console.log(`SIMULATOR_ORIGIN=${simulator.origin}`);
}

main().catch((error: unknown) => {
  console.error("[shopify-sim] failed to start:", error);
  process.exit(1);
});
