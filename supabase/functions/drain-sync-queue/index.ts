// Supabase Edge Function (Deno): drains the sync queue for a bounded time with the app's
// own sync core, for hosts without a long-lived worker. Called every minute by pg_cron
// (migration 20261202000900_drain_schedule) or by the host's cron; see the README,
// "From an empty Supabase project to production". The request handling (secret, time
// box, answers) is app/worker/drain-endpoint.server.ts; the drain app/worker/drain.server.ts.
import "@shopify/shopify-api/adapters/web-api";
import nodeProcess from "node:process";
import { drainEndpoint } from "~/worker/drain-endpoint.server";

// The app's modules read process.env, a global under Deno 2; keep it so where a runtime
// only offers node:process.
(globalThis as { process?: unknown }).process ??= nodeProcess;

const endpoint = drainEndpoint();

Deno.serve((request: Request) => endpoint.handle(request));
