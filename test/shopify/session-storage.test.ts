import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { setTestAppEnv } from "../helpers/app-env";
import { testPool } from "../support/database";
import type * as ShopifyServer from "~/shopify.server";
import { storedToken } from "../helpers/stored-tokens";

// PrismaSessionStorage (Prisma's pg driver adapter, no native engine) against this
// file's Postgres database, through the app's own configured instance.
type App = typeof ShopifyServer;
let app: App;
let closeDatabase: () => Promise<void>;

const SHOP = "storage-shop.myshopify.com";
const OTHER_SHOP = "other-shop.myshopify.com";

beforeAll(async () => {
  setTestAppEnv();
  app = await import("~/shopify.server");
  ({ closeDatabase } = await import("~/db.server"));
});

afterAll(async () => {
  await closeDatabase();
});

beforeEach(async () => {
  await testPool().query("delete from shopify_sessions");
});

function offlineSession(shop: string) {
  return new Session({
    id: `offline_${shop}`,
    shop,
    state: "",
    isOnline: false,
    accessToken: "shpat_offline",
    scope: "read_orders,write_merchant_managed_fulfillment_orders",
  });
}

describe("PrismaSessionStorage on Postgres", () => {
  it("stores a session in shopify_sessions and loads it back", async () => {
    const session = offlineSession(SHOP);
    expect(await app.sessionStorage.storeSession(session)).toBe(true);

    const { rows } = await testPool().query(
      "select id, shop, is_online, access_token, scope, expires from shopify_sessions",
    );
    expect(rows).toEqual([
      {
        id: `offline_${SHOP}`,
        shop: SHOP,
        is_online: false,
        access_token: expect.stringMatching(/^enc1:/),
        scope: "read_orders,write_merchant_managed_fulfillment_orders",
        expires: null,
      },
    ]);
    // Encrypted at rest (README: Token storage).
    expect(storedToken(`offline_${SHOP}`, "access_token", rows[0].access_token)).toBe("shpat_offline");

    const loaded = await app.sessionStorage.loadSession(`offline_${SHOP}`);
    expect(loaded?.shop).toBe(SHOP);
    expect(loaded?.accessToken).toBe("shpat_offline");
    expect(loaded?.isOnline).toBe(false);
    expect(loaded?.scope).toBe(session.scope);
  });

  it("round-trips an online session with its user and expiry", async () => {
    const expires = new Date(Date.now() + 3_600_000);
    expires.setMilliseconds(0);
    const online = new Session({
      id: `${SHOP}_9007199254740993`,
      shop: SHOP,
      state: "",
      isOnline: true,
      accessToken: "shpua_online",
      scope: "read_orders",
      expires,
      onlineAccessInfo: {
        expires_in: 3600,
        associated_user_scope: "read_orders",
        associated_user: {
          id: 90071992547,
          first_name: "花子",
          last_name: "山田",
          email: "hanako@example.com",
          email_verified: true,
          account_owner: false,
          locale: "ja",
          collaborator: false,
        },
      },
    });

    await app.sessionStorage.storeSession(online);
    const loaded = await app.sessionStorage.loadSession(online.id);

    expect(loaded?.isOnline).toBe(true);
    expect(loaded?.expires?.getTime()).toBe(expires.getTime());
    expect(loaded?.onlineAccessInfo?.associated_user.id).toBe(90071992547);
    expect(loaded?.onlineAccessInfo?.associated_user.first_name).toBe("花子");
    expect(loaded?.onlineAccessInfo?.associated_user.locale).toBe("ja");
  });

  it("updates a stored session in place", async () => {
    await app.sessionStorage.storeSession(offlineSession(SHOP));
    const changed = offlineSession(SHOP);
    changed.accessToken = "shpat_rotated";

    await app.sessionStorage.storeSession(changed);

    const { rows } = await testPool().query(
      "select access_token from shopify_sessions",
    );
    expect(rows).toHaveLength(1);
    expect(storedToken(`offline_${SHOP}`, "access_token", rows[0].access_token)).toBe("shpat_rotated");
  });

  it("finds the sessions of one shop only", async () => {
    await app.sessionStorage.storeSession(offlineSession(SHOP));
    await app.sessionStorage.storeSession(offlineSession(OTHER_SHOP));

    const found = await app.sessionStorage.findSessionsByShop(SHOP);

    expect(found.map((session) => session.id)).toEqual([`offline_${SHOP}`]);
  });

  it("deletes a session, and deleting a missing one is not an error", async () => {
    await app.sessionStorage.storeSession(offlineSession(SHOP));
    await app.sessionStorage.storeSession(offlineSession(OTHER_SHOP));

    expect(await app.sessionStorage.deleteSession(`offline_${SHOP}`)).toBe(
      true,
    );
    expect(await app.sessionStorage.deleteSession(`offline_${SHOP}`)).toBe(
      true,
    );

    expect(
      await app.sessionStorage.loadSession(`offline_${SHOP}`),
    ).toBeUndefined();
    expect(
      await app.sessionStorage.loadSession(`offline_${OTHER_SHOP}`),
    ).toBeDefined();
  });
});

describe("db.server", () => {
  it("connects to DATABASE_URL lazily and reopens after closeDatabase", async () => {
    const { getPool, getPrisma } = await import("~/db.server");
    const prisma = getPrisma();
    const expected = new URL(process.env.DATABASE_URL ?? "").pathname.slice(1);

    const first = await getPool().query<{ db: string }>(
      "select current_database() as db",
    );
    expect(first.rows[0].db).toBe(expected);

    await closeDatabase();
    await closeDatabase();

    const again = await getPool().query<{ db: string }>(
      "select current_database() as db",
    );
    expect(again.rows[0].db).toBe(expected);
    // The session storage holds the Prisma client it was built with: that same client
    // reconnects, and is the one the next closeDatabase() disconnects.
    expect(getPrisma()).toBe(prisma);
    await app.sessionStorage.storeSession(offlineSession(SHOP));
    expect(
      await app.sessionStorage.loadSession(`offline_${SHOP}`),
    ).toBeDefined();
  });
});
