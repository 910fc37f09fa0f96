/**
 * 北斗雑貨店 (hokuto-zakka.myshopify.com): a Japanese shop selling crafts from several
 * workshops, each of which ships its own items. Twelve orders at two warehouses:
 * - #1001, #1003, #1007, #1010: lines split across two shipments;
 * - #1005: two fulfillment orders (東京倉庫 and 大阪倉庫), one shipment each;
 * - #1006: its fulfillment order is ON_HOLD;
 * - five shipments already shipped and synced (ヤマト, 佐川, 日本郵便), the rest unshipped;
 * - #1012: no shipment yet.
 * Ids follow Shopify's gid formats; the numbers are made up but shaped like real ones.
 */
import type {
  DemoFulfillmentOrder,
  DemoLine,
  DemoOrder,
  DemoShipment,
  DemoShop,
} from "./demo-data.types";

const SHOP = "hokuto-zakka.myshopify.com";
const TOKYO = "gid://shopify/Location/74102345601";
const OSAKA = "gid://shopify/Location/74102345602";

const VENDOR = {
  arita: "有田焼 窯元まるぶん",
  imabari: "今治タオル工房",
  nanbu: "南部鉄器 及源",
  mino: "美濃和紙 山田製紙所",
  kiriko: "江戸切子 硝子工房さくら",
  hasami: "波佐見焼 ひなた窯",
} as const;

interface Product {
  sku: string | null;
  title: string;
  vendor: string;
}

const PRODUCT = {
  mamezara: {
    sku: "ARITA-MAME-5",
    title: "有田焼 染付 豆皿 5枚セット",
    vendor: VENDOR.arita,
  },
  chawan: {
    sku: "ARITA-CHAWAN-AI",
    title: "有田焼 藍染 飯碗",
    vendor: VENDOR.arita,
  },
  mug: {
    sku: "ARITA-MUG-KARAKUSA",
    title: "有田焼 マグカップ 花唐草",
    vendor: VENDOR.arita,
  },
  faceTowel: {
    sku: "IMABARI-FT-WH2",
    title: "今治タオル フェイスタオル 白 2枚組",
    vendor: VENDOR.imabari,
  },
  bathTowel: {
    sku: "IMABARI-BT-GY",
    title: "今治タオル バスタオル グレー",
    vendor: VENDOR.imabari,
  },
  handTowel: {
    sku: "IMABARI-HT-SAKURA",
    title: "今治タオル ハンドタオル 桜柄",
    vendor: VENDOR.imabari,
  },
  tetsubin: {
    sku: "NANBU-TETSUBIN-065",
    title: "南部鉄器 鉄瓶 亀甲 0.65L",
    vendor: VENDOR.nanbu,
  },
  kyusu: {
    sku: "NANBU-KYUSU-ARARE",
    title: "南部鉄器 急須 あられ 0.4L",
    vendor: VENDOR.nanbu,
  },
  nabeshiki: {
    sku: "NANBU-NABESHIKI",
    title: "南部鉄器 鍋敷き 丸",
    vendor: VENDOR.nanbu,
  },
  ippitsusen: {
    sku: "MINO-IPPITSU-HANA",
    title: "美濃和紙 一筆箋 季節の花",
    vendor: VENDOR.mino,
  },
  // Sold as a custom item, without a SKU.
  pochibukuro: {
    sku: null,
    title: "美濃和紙 ぽち袋 5枚入",
    vendor: VENDOR.mino,
  },
  lampShade: {
    sku: "MINO-LAMP-S",
    title: "美濃和紙 ランプシェード 小",
    vendor: VENDOR.mino,
  },
  rockGlass: {
    sku: "KIRIKO-ROCK-RURI",
    title: "江戸切子 ロックグラス 瑠璃",
    vendor: VENDOR.kiriko,
  },
  guinomi: {
    sku: "KIRIKO-GUINOMI-AKA",
    title: "江戸切子 ぐい呑み 赤",
    vendor: VENDOR.kiriko,
  },
  hasamiBowl: {
    sku: "HASAMI-BOWL-WH",
    title: "波佐見焼 白磁 ボウル 15cm",
    vendor: VENDOR.hasami,
  },
} satisfies Record<string, Product>;

const yamato = (number: string) => ({
  carrier: "Yamato (JA)",
  trackingUrl: `https://jizen.kuronekoyamato.co.jp/jizen/servlet/crjz.b.NQ0010?id=${number}`,
});
const sagawa = (number: string) => ({
  carrier: "Sagawa (JA)",
  trackingUrl: `https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=${number}`,
});
const japanPost = (number: string) => ({
  carrier: "Japan Post (JA)",
  trackingUrl: `https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=${number}&searchKind=S002&locale=ja`,
});

interface OrderSpec {
  createdAt: string;
  /** Product, quantity and (default 東京倉庫) the location that holds it. */
  lines: [Product, number, string?][];
  onHold?: string[]; // locations whose fulfillment order is ON_HOLD
  /** Each shipment: [line number (1-based), quantity] pairs, and how it shipped if it did.
   * Tracking numbers are 12 digits ending in the carriers' mod-7 check digit. */
  shipments: {
    lines: [number, number][];
    shipped?: {
      trackingNumbers: string[];
      via: typeof yamato;
      shippedAt: string;
    };
  }[];
}

const ORDERS: Record<number, OrderSpec> = {
  1001: {
    createdAt: "2026-11-10T01:12:00Z",
    lines: [
      [PRODUCT.mamezara, 2],
      [PRODUCT.faceTowel, 1],
    ],
    shipments: [
      {
        lines: [[1, 2]],
        shipped: {
          trackingNumbers: ["438912345675"],
          via: yamato,
          shippedAt: "2026-11-11T06:30:00Z",
        },
      },
      { lines: [[2, 1]] },
    ],
  },
  1002: {
    createdAt: "2026-11-10T09:45:00Z",
    lines: [[PRODUCT.tetsubin, 1, OSAKA]],
    shipments: [
      {
        lines: [[1, 1]],
        shipped: {
          trackingNumbers: ["574133902683"],
          via: japanPost,
          shippedAt: "2026-11-12T02:10:00Z",
        },
      },
    ],
  },
  1003: {
    createdAt: "2026-11-11T03:20:00Z",
    lines: [[PRODUCT.bathTowel, 4]],
    shipments: [
      // Two boxes, two tracking numbers.
      {
        lines: [[1, 2]],
        shipped: {
          trackingNumbers: ["438912350122", "441028733051"],
          via: yamato,
          shippedAt: "2026-11-13T07:05:00Z",
        },
      },
      { lines: [[1, 2]] },
    ],
  },
  1004: {
    createdAt: "2026-11-12T11:02:00Z",
    lines: [
      [PRODUCT.ippitsusen, 3],
      [PRODUCT.pochibukuro, 5],
    ],
    shipments: [
      {
        lines: [
          [1, 3],
          [2, 5],
        ],
      },
    ],
  },
  1005: {
    createdAt: "2026-11-13T00:40:00Z",
    lines: [
      [PRODUCT.kyusu, 1, OSAKA],
      [PRODUCT.handTowel, 2, TOKYO],
    ],
    shipments: [
      {
        lines: [[2, 2]],
        shipped: {
          trackingNumbers: ["368029185742"],
          via: sagawa,
          shippedAt: "2026-11-14T05:00:00Z",
        },
      },
      { lines: [[1, 1]] },
    ],
  },
  1006: {
    createdAt: "2026-11-14T08:15:00Z",
    lines: [[PRODUCT.rockGlass, 2]],
    onHold: [TOKYO],
    shipments: [{ lines: [[1, 2]] }],
  },
  1007: {
    createdAt: "2026-11-15T02:30:00Z",
    lines: [
      [PRODUCT.chawan, 2],
      [PRODUCT.mug, 1],
    ],
    shipments: [
      { lines: [[1, 1]] },
      {
        lines: [
          [1, 1],
          [2, 1],
        ],
      },
    ],
  },
  1008: {
    createdAt: "2026-11-17T05:55:00Z",
    lines: [
      [PRODUCT.faceTowel, 3],
      [PRODUCT.mamezara, 1],
    ],
    shipments: [{ lines: [[1, 3]] }, { lines: [[2, 1]] }],
  },
  1009: {
    createdAt: "2026-11-19T10:10:00Z",
    lines: [[PRODUCT.hasamiBowl, 4, OSAKA]],
    shipments: [{ lines: [[1, 4]] }],
  },
  1010: {
    createdAt: "2026-11-20T04:25:00Z",
    lines: [
      [PRODUCT.nabeshiki, 2, OSAKA],
      [PRODUCT.lampShade, 1, OSAKA],
    ],
    shipments: [
      {
        lines: [[2, 1]],
        shipped: {
          trackingNumbers: ["574133904175"],
          via: japanPost,
          shippedAt: "2026-11-22T01:45:00Z",
        },
      },
      { lines: [[1, 2]] },
    ],
  },
  1011: {
    createdAt: "2026-11-22T07:30:00Z",
    lines: [[PRODUCT.guinomi, 2]],
    shipments: [{ lines: [[1, 2]] }],
  },
  1012: {
    createdAt: "2026-11-24T12:05:00Z",
    lines: [
      [PRODUCT.bathTowel, 1],
      [PRODUCT.handTowel, 2],
    ],
    shipments: [],
  },
};

// Id schemes, per order number n (4 digits) and 1-based index k.
const orderGid = (n: number) => `gid://shopify/Order/6104223${pad(n, 6)}`;
const lineGid = (n: number, k: number) =>
  `gid://shopify/LineItem/15821044${pad(n, 4)}${pad(k, 2)}`;
const foGid = (n: number, k: number) =>
  `gid://shopify/FulfillmentOrder/7193021${pad(n, 4)}${pad(k, 2)}`;
const foLineGid = (n: number, k: number) =>
  `gid://shopify/FulfillmentOrderLineItem/16930557${pad(n, 4)}${pad(k, 2)}`;
const fulfillmentGid = (n: number, k: number) =>
  `gid://shopify/Fulfillment/5402110${pad(n, 4)}${pad(k, 2)}`;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function buildOrder(n: number, spec: OrderSpec): DemoOrder {
  const lines: DemoLine[] = spec.lines.map(([product, quantity], i) => ({
    id: lineGid(n, i + 1),
    sku: product.sku,
    title: product.title,
    quantity,
    vendor: product.vendor,
  }));
  const locationOf = (lineIndex: number) => spec.lines[lineIndex][2] ?? TOKYO;

  // One fulfillment order per location, in the order the lines first name it.
  const locations = [...new Set(spec.lines.map((_, i) => locationOf(i)))];
  const fulfillmentOrders: DemoFulfillmentOrder[] = locations.map(
    (locationId, f) => ({
      id: foGid(n, f + 1),
      locationId,
      status: spec.onHold?.includes(locationId) ? "ON_HOLD" : "OPEN",
      lines: lines
        .map((line, i) => ({ line, i }))
        .filter(({ i }) => locationOf(i) === locationId)
        .map(({ line, i }) => ({
          id: foLineGid(n, i + 1),
          lineItemId: line.id,
          quantity: line.quantity,
        })),
    }),
  );

  const shipped = new Map<string, number>();
  const shipments: DemoShipment[] = spec.shipments.map((s, k) => {
    const picked = s.lines.map(([lineNo, quantity]) => ({
      index: lineNo - 1,
      quantity,
    }));
    const vendors = new Set(picked.map(({ index }) => lines[index].vendor));
    const fos = new Set(picked.map(({ index }) => locationOf(index)));
    // Shopify takes one fulfillment per location; a vendor ships only its own items.
    if (vendors.size !== 1 || fos.size !== 1) {
      throw new Error(
        `Demo order #${n}: shipment ${k + 1} must hold one vendor's items from one location`,
      );
    }
    for (const { index, quantity } of picked) {
      const total = (shipped.get(lines[index].id) ?? 0) + quantity;
      if (total > lines[index].quantity) {
        throw new Error(
          `Demo order #${n}: line ${index + 1} is shipped ${total} times but ordered ${lines[index].quantity}`,
        );
      }
      shipped.set(lines[index].id, total);
    }
    if (s.shipped && spec.onHold?.includes([...fos][0])) {
      throw new Error(
        `Demo order #${n}: shipment ${k + 1} cannot be fulfilled from an ON_HOLD fulfillment order`,
      );
    }
    return {
      vendor: [...vendors][0],
      lines: picked.map(({ index, quantity }) => ({
        lineItemId: lines[index].id,
        quantity,
      })),
      ...(s.shipped && {
        shipped: {
          trackingNumbers: s.shipped.trackingNumbers,
          ...s.shipped.via(s.shipped.trackingNumbers[0]),
          fulfillmentId: fulfillmentGid(n, k + 1),
          shippedAt: s.shipped.shippedAt,
        },
      }),
    };
  });

  return {
    id: orderGid(n),
    name: `#${n}`,
    createdAt: spec.createdAt,
    lines,
    fulfillmentOrders,
    shipments,
  };
}

export const demoShop: DemoShop = {
  shop: SHOP,
  name: "北斗雑貨店",
  locale: "ja",
  scopes: [
    "read_orders",
    "read_merchant_managed_fulfillment_orders",
    "write_merchant_managed_fulfillment_orders",
    "read_fulfillments",
  ],
  locations: [
    { id: TOKYO, name: "東京倉庫" },
    { id: OSAKA, name: "大阪倉庫" },
  ],
  orders: Object.entries(ORDERS).map(([n, spec]) =>
    buildOrder(Number(n), spec),
  ),
};
