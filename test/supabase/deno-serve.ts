/**
 * Runs under Deno (test/supabase/edge-drain.test.ts): serves an Edge Function's index.ts
 * as Supabase's runtime would, with its own `Deno.serve(handler)` call, but on a free port
 * of 127.0.0.1, printed as "listening on <port>" for the test to read.
 *
 *   deno run --config supabase/functions/deno.json … test/supabase/deno-serve.ts <index.ts>
 */
const serve = Deno.serve;
Object.assign(Deno, {
  serve: (handler: Deno.ServeHandler) =>
    serve({ port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log(`listening on ${port}`) }, handler),
});
await import(new URL(Deno.args[0]!, `file://${Deno.cwd()}/`).href);
