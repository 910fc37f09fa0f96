import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { Simulator, WebhookConfig } from "../shopify-sim";
import { webhookSubscriptions } from "../support/app-toml";
import { TEST_APP } from "./app-env";

/**
 * The app's webhook routes served over HTTP in the test process, so the simulator can
 * deliver to them as Shopify delivers to the app: each shopify.app.toml subscription's
 * uri is answered by the route module its comment names (app/routes/webhooks.*.tsx),
 * through the real `authenticate.webhook`. What a route throws as a Response is the
 * answer (Remix does the same); anything else thrown is a 500.
 */
export interface WebhookApp {
  origin: string;
  /** What each request was answered, in order. */
  answers: { path: string; topic: string | null; status: number }[];
  close(): Promise<void>;
}

type RouteModule = {
  action: (args: {
    request: Request;
    params: Record<string, string>;
    context: object;
  }) => Promise<Response>;
};

export async function startWebhookApp(): Promise<WebhookApp> {
  const routes = new Map<string, () => Promise<RouteModule>>();
  for (const subscription of webhookSubscriptions()) {
    if (!subscription.routeFile) continue;
    const name = subscription.routeFile
      .replace(/^app\/routes\//, "")
      .replace(/\.tsx$/, "");
    routes.set(
      subscription.uri,
      () => import(`../../app/routes/${name}.tsx`) as Promise<RouteModule>,
    );
  }
  const answers: WebhookApp["answers"] = [];

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://app.invalid").pathname;
    const topic =
      typeof req.headers["x-shopify-topic"] === "string"
        ? req.headers["x-shopify-topic"]
        : null;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const load = routes.get(path);
    let status = 404;
    let body = "";
    if (load && req.method === "POST") {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
      }
      const request = new Request(new URL(path, TEST_APP.appUrl), {
        method: "POST",
        headers,
        body: Buffer.concat(chunks),
      });
      try {
        const response = await (
          await load()
        ).action({ request, params: {}, context: {} });
        status = response.status;
        body = await response.text();
      } catch (error) {
        if (error instanceof Response) {
          status = error.status;
        } else {
          status = 500;
          body = String(error);
        }
      }
    }
    answers.push({ path, topic, status });
    res.writeHead(status, { "Content-Type": "text/plain" }).end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The simulator's webhook configuration for the test app: its secret, shopify.app.toml's subscriptions. */
export function webhookConfigFor(
  app: { origin: string },
  sim: Simulator,
  extra: Partial<WebhookConfig> = {},
): WebhookConfig {
  return {
    appUrl: app.origin,
    secret: TEST_APP.apiSecret,
    apiVersion: sim.apiVersion,
    subscriptions: webhookSubscriptions()
      .filter((s) => !s.compliance)
      .map(({ topics, uri }) => ({ topics, uri })),
    ...extra,
  };
}
