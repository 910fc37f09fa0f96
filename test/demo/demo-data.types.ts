/**
 * The demo shop, described once. supabase/seed.sql is generated from it (and a test
 * checks the committed file still matches), and the Shopify simulator loads the same
 * orders, fulfillment orders and fulfillments, so the local database and "Shopify"
 * agree from the first second of the demo.
 */
export interface DemoShop {
  shop: string; // e.g. "hokuto-zakka.myshopify.com"
  name: string; // shop name shown in Shopify admin
  locale: "ja" | "en";
  /** Scopes granted to the app at install. */
  scopes: string[];
  /** Locations of the shop; fulfillment orders are assigned to one of them. */
  locations: { id: string; name: string }[]; // id: gid://shopify/Location/<n>
  orders: DemoOrder[];
}

export interface DemoOrder {
  id: string; // gid://shopify/Order/<n>
  name: string; // "#1001"
  createdAt: string; // ISO timestamp
  /** "open" unless the demo wants a closed or cancelled order. */
  state?: "open" | "closed" | "cancelled";
  lines: DemoLine[];
  /** Fulfillment orders: which lines (and how many of each) sit at which location. */
  fulfillmentOrders: DemoFulfillmentOrder[];
  shipments: DemoShipment[];
}

export interface DemoLine {
  id: string; // gid://shopify/LineItem/<n>
  sku: string | null;
  title: string;
  quantity: number;
  vendor: string;
}

export interface DemoFulfillmentOrder {
  id: string; // gid://shopify/FulfillmentOrder/<n>
  locationId: string;
  status?: "OPEN" | "ON_HOLD" | "SCHEDULED";
  lines: { id: string /* gid://shopify/FulfillmentOrderLineItem/<n> */; lineItemId: string; quantity: number }[];
}

export interface DemoShipment {
  vendor: string;
  lines: { lineItemId: string; quantity: number }[];
  /** Shipped and already synced to Shopify (the simulator holds its fulfillment). */
  shipped?: {
    trackingNumbers: string[];
    carrier: string; // Shopify company name, e.g. "Yamato (JA)"
    trackingUrl: string | null;
    fulfillmentId: string; // gid://shopify/Fulfillment/<n>
    shippedAt: string;
  };
}
