import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A tiny stand-in for Shopify's Admin API, for tests that need the app's outgoing
 * calls to land somewhere (the app reaches it through SHOPIFY_ADMIN_API_ORIGIN). It
 * records each request and answers with `respond`. The full simulator lives in
 * test/shopify-sim; this stays small on purpose.
 */
export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StubResponse {
  status?: number;
  json: unknown;
}

export interface AdminApiStub {
  origin: string;
  requests: StubRequest[];
  respond: (request: StubRequest) => StubResponse;
  close(): Promise<void>;
}

export async function startAdminApiStub(
  respond: (request: StubRequest) => StubResponse,
): Promise<AdminApiStub> {
  const stub: Omit<AdminApiStub, "origin" | "close"> = {
    requests: [],
    respond,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: StubRequest = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      stub.requests.push(request);
      const { status = 200, json } = stub.respond(request);
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return Object.assign(stub, {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  });
}
