/**
 * The Shopify simulator as a process: starts it, prints where it listens, and stops
 * cleanly on SIGINT/SIGTERM. Shops are created through the control API
 * (`POST /_simulator/<operation>`) or by a setup module.
 *
 *   --port <n> | SIMULATOR_PORT        default 4010 (0 = any free port)
 *   --seed <n> | SIMULATOR_SEED        fault PRNG seed, default 1
 *   --setup <module>                   a module whose default export,
 *                                      `(simulator: Simulator) => Promise<void>`, runs once
 *                                      the simulator listens (`npm run simulator` passes the
 *                                      demo's: test/demo/simulator-shop.ts)
 *   SHOPIFY_API_KEY / SHOPIFY_API_SECRET  the app's credentials (session tokens are
 *                                      verified with them); simulator defaults otherwise
 *
 * Prints a `SIMULATOR_ORIGIN=<origin>` line for a parent process to read.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { startSimulator, type Simulator } from "./server";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      seed: { type: "string" },
      setup: { type: "string" },
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

  if (values.setup) {
    try {
      const setup = (await import(pathToFileURL(path.resolve(values.setup)).href)) as {
        default: (simulator: Simulator) => Promise<void>;
      };
      await setup.default(simulator);
    } catch (error) {
      await simulator.close();
      throw new Error(`--setup ${values.setup} failed`, { cause: error });
    }
  }
  console.log(`[shopify-sim] Admin API ${simulator.apiVersion} at ${simulator.graphqlUrl}`);
  console.log(`SIMULATOR_ORIGIN=${simulator.origin}`);
}

main().catch((error: unknown) => {
  console.error("[shopify-sim] failed to start:", error);
  process.exit(1);
});
