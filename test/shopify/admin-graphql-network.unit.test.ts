import { createServer, type Server, type Socket } from "node:net";
import {
  abstractFetch,
  setAbstractFetchFunc,
} from "@shopify/shopify-api/runtime";
import { afterEach, describe, expect, it } from "vitest";

import { SyncError } from "~/fulfillment/errors";
import { installAdminApiOrigin } from "~/shopify/admin-api-origin.server";
import { adminGraphql } from "~/shopify/admin-graphql.server";
import { FULFILLMENT_CANCEL_MUTATION } from "~/shopify/documents";

// "Did the request leave?" decided by the Admin API client from real socket failures
// (the one list of codes in ~/fulfillment/errors): a refused connection sent nothing, so
// a mutation may be sent again; a connection cut after the request went out may have
// changed Shopify, so the mutation's outcome is unknown.
const original = abstractFetch;
const servers: Server[] = [];
afterEach(async () => {
  setAbstractFetchFunc(original);
  await Promise.all(
    servers.splice(0).map((s) => new Promise((r) => s.close(() => r(null)))),
  );
});

/** A TCP server on a free port; `onConnection` decides what happens to each socket. */
async function tcpServer(onConnection: (socket: Socket) => void) {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as { port: number }).port;
}

async function cancelThrough(origin: string): Promise<SyncError> {
  // Node's own fetch under the library, as the node adapter (shopify.server) sets it.
  setAbstractFetchFunc(globalThis.fetch);
  installAdminApiOrigin(origin);
  const failed = await adminGraphql(
    { shop: "net-faults.myshopify.com", accessToken: "shpat_test" },
    FULFILLMENT_CANCEL_MUTATION,
    {
      isMutation: true,
      timeoutMs: 5_000,
      variables: { id: "gid://shopify/Fulfillment/1" },
    },
  ).then(
    () => null,
    (error: unknown) => error,
  );
  expect(failed).toBeInstanceOf(SyncError);
  return failed as SyncError;
}

describe("the Admin API client's network failures", () => {
  it("a refused connection: nothing left, so the mutation is a transient failure, safe to send again", async () => {
    const port = await tcpServer(() => undefined);
    await new Promise((r) => servers.pop()!.close(() => r(null)));
    const error = await cancelThrough(`http://127.0.0.1:${port}`);
    expect(error.errorClass).toBe("transient");
    expect(error.message).toMatch(/before_send/);
  });

  it("a connection cut once the request is in: the mutation's outcome is unknown", async () => {
    const port = await tcpServer((socket) => {
      socket.once("data", () => socket.destroy());
    });
    const error = await cancelThrough(`http://127.0.0.1:${port}`);
    expect(error.errorClass).toBe("outcome_unknown");
    expect(error.message).toMatch(/after_send/);
  });
});
