import { describe, expect, it } from "vitest";
import { importGraph } from "./import-graph";

/**
 * The layers of app/ point one way (issue 17): routes → features → the fulfillment
 * domain at the bottom, with the Shopify port and the database beside it; the worker and
 * the root *.server.ts files compose them. Checked on the real import graph
 * (dependency-cruiser), so a new upward import fails here with the file that made it.
 */
const graph = await importGraph();

// What the domain may use besides itself: the one i18n mechanism, and leaf packages.
const DOMAIN_MAY_IMPORT = /^(app\/fulfillment\/|app\/i18n\/|zod$|node:)/;
const FRAMEWORK = /^(@remix-run\/|react|react-dom|@shopify\/polaris|@shopify\/app-bridge|@shopify\/shopify-app-remix|pg$|graphile-worker|@prisma\/)/;
// Layers from the bottom: a folder may import only folders in its own layer or below.
const LAYERS: string[][] = [
  ["i18n"],
  ["fulfillment"],
  ["db", "shopify", "http", "env.server.ts"],
  // Features, and the root singletons that wire the ports (db.server.ts, shopify.server.ts:
  // imported at import time only by routes, roots and the webhook receiver, see below).
  ["db.server.ts", "shops", "shipments", "queue", "webhooks", "reconcile", "orders", "imports", "sync", "components",
    "offline-session.server.ts", "health.server.ts", "shopify.server.ts"],
  ["extension"],
  ["worker"],
  ["routes", "root.tsx", "entry.server.tsx"],
];const layerOf = (entry: string) => LAYERS.findIndex((layer) => layer.includes(entry));

describe("app/'s import graph", () => {
  it("has no folder pair that imports each other", () => {
    expect(graph.mutualPairs.map((p) => `${p.a} ⇄ ${p.b}: ${p.imports.join("; ")}`)).toEqual([]);
  });

  it("has no file cycle", () => {
    expect(graph.cycles.map((c) => c.join(" → "))).toEqual([]);
  });

  it("places every folder of app/ in a layer", () => {
    const entries = new Set(graph.modules.map((m) => m.source.split("/")[1]!));
    expect([...entries].filter((entry) => layerOf(entry) === -1)).toEqual([]);
  });

  it("points down: no folder imports one in a higher layer", () => {
    const upward = [...graph.folderEdges.values()]
      .filter((edge) => layerOf(edge.to) > layerOf(edge.from))
      .map((edge) => `${edge.from} → ${edge.to}: ${edge.imports.join("; ")}`);
    expect(upward).toEqual([]);
  });

  it("keeps the fulfillment domain framework-free: no route, no Remix, React, Polaris, pg or worker", () => {
    const domain = graph.modules.filter((m) => m.source.startsWith("app/fulfillment/") && !m.source.endsWith(".server.ts"));
    expect(domain.length).toBeGreaterThan(5);
    const leaks = domain.flatMap((m) =>
      m.imports.filter((i) => !DOMAIN_MAY_IMPORT.test(i) || FRAMEWORK.test(i)).map((i) => `${m.source} → ${i}`),
    );
    expect(leaks).toEqual([]);
    // Its SQL store (*.server.ts) uses the database, nothing above it.
    const store = graph.modules.filter((m) => m.source.startsWith("app/fulfillment/") && m.source.endsWith(".server.ts"));
    expect(
      store.flatMap((m) => m.imports.filter((i) => /^app\/(?!fulfillment\/|db\/|i18n\/)/.test(i)).map((i) => `${m.source} → ${i}`)),
    ).toEqual([]);
  });

  it("imports shopify.server.ts (the app's configuration, built at import) only from routes and composition roots", () => {
    const importers = graph.modules
      .filter((m) => m.imports.includes("app/shopify.server.ts"))
      .map((m) => m.source)
      .filter((source) => !/^app\/(routes\/|entry\.server\.tsx$|worker\/)/.test(source));
    // receive.server.ts verifies webhooks with the app's own authenticate.webhook.
    expect(importers).toEqual(["app/webhooks/receive.server.ts"]);
  });
});
