import { describe, expect, it } from "vitest";
import {
  compareGid,
  findMatchingFulfillment,
  findMatchingFulfillments,
  isFulfillable,
  mapShipmentToFulfillmentOrders,
  trackingNumberComparisonKey,
  type FulfillmentOrderSnapshot,
  type FulfillmentOrderStatus,
  type MappingResult,
  type RecordedFulfillment,
  type ShipmentLine,
} from "~/fulfillment/mapping";

const LI = (n: number) => `gid://shopify/LineItem/${n}`;
const FO = (n: number) => `gid://shopify/FulfillmentOrder/${n}`;
const FOLI = (n: number) => `gid://shopify/FulfillmentOrderLineItem/${n}`;

interface FoLine {
  foli: number;
  lineItem: number;
  remaining: number;
  total?: number;
  sku?: string | null;
}

function fo(
  id: number,
  lines: FoLine[],
  options: {
    status?: FulfillmentOrderStatus;
    actions?: string[];
    location?: string | null;
    address1?: string;
    fulfillAt?: string | null;
  } = {},
): FulfillmentOrderSnapshot {
  const status = options.status ?? "OPEN";
  const defaultActions =
    status === "OPEN" || status === "IN_PROGRESS"
      ? ["CREATE_FULFILLMENT", "HOLD", "MOVE"]
      : status === "ON_HOLD"
        ? ["RELEASE_HOLD"]
        : status === "SCHEDULED"
          ? ["MARK_AS_OPEN"]
          : [];
  const location =
    options.location === undefined ? "東京倉庫" : options.location;
  return {
    id: FO(id),
    status,
    fulfillAt: options.fulfillAt ?? null,
    supportedActions: (options.actions ?? defaultActions).map((action) => ({
      action,
    })),
    assignedLocation:
      location === null
        ? null
        : {
            name: location,
            ...(options.address1 ? { address1: options.address1 } : {}),
          },
    lineItems: {
      nodes: lines.map((l) => ({
        id: FOLI(l.foli),
        remainingQuantity: l.remaining,
        totalQuantity: l.total ?? Math.max(l.remaining, 1),
        lineItem: { id: LI(l.lineItem), sku: l.sku ?? null },
      })),
    },
  };
}

const line = (
  lineItem: number,
  quantity: number,
  title?: string,
  sku?: string | null,
): ShipmentLine => ({
  lineItemId: LI(lineItem),
  quantity,
  ...(title !== undefined ? { title } : {}),
  ...(sku !== undefined ? { sku } : {}),
});

function expectOk(result: MappingResult) {
  if (!result.ok)
    throw new Error(`expected ok, got ${JSON.stringify(result.problems)}`);
  return result;
}

function expectProblems(result: MappingResult) {
  if (result.ok)
    throw new Error(`expected problems, got ${JSON.stringify(result)}`);
  return result.problems;
}

function allQuantities(result: MappingResult): number[] {
  return result.ok
    ? result.lineItemsByFulfillmentOrder.flatMap((g) =>
        g.fulfillmentOrderLineItems.map((l) => l.quantity),
      )
    : [];
}

describe("mapShipmentToFulfillmentOrders: happy paths", () => {
  it("maps one line to its FO line item id (not the LineItem id) with the shipment's quantity", () => {
    const result = expectOk(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 2)] }, [
        fo(100, [{ foli: 1000, lineItem: 1, remaining: 2 }]),
      ]),
    );
    expect(result).toEqual({
      ok: true,
      lineItemsByFulfillmentOrder: [
        {
          fulfillmentOrderId: FO(100),
          fulfillmentOrderLineItems: [{ id: FOLI(1000), quantity: 2 }],
        },
      ],
      locationName: "東京倉庫",
    });
  });

  it("ships part of a line (1 of 3 remaining) and leaves other lines of the FO out", () => {
    const result = expectOk(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 1)] }, [
        fo(100, [
          { foli: 1000, lineItem: 1, remaining: 3 },
          { foli: 1001, lineItem: 2, remaining: 5 },
        ]),
      ]),
    );
    expect(result.lineItemsByFulfillmentOrder).toEqual([
      {
        fulfillmentOrderId: FO(100),
        fulfillmentOrderLineItems: [{ id: FOLI(1000), quantity: 1 }],
      },
    ]);
  });

  it("matches by line item id, never by SKU: two lines with the same SKU map to their own FO lines", () => {
    const fos = [
      fo(100, [
        { foli: 1000, lineItem: 1, remaining: 2, sku: "TSHIRT-M" },
        { foli: 1001, lineItem: 2, remaining: 4, sku: "TSHIRT-M" },
      ]),
    ];
    const result = expectOk(
      mapShipmentToFulfillmentOrders(
        {
          lines: [
            line(2, 3, "Tシャツ (ギフト包装)", "TSHIRT-M"),
            line(1, 1, "Tシャツ", "TSHIRT-M"),
          ],
        },
        fos,
      ),
    );
    expect(result.lineItemsByFulfillmentOrder).toEqual([
      {
        fulfillmentOrderId: FO(100),
        fulfillmentOrderLineItems: [
          { id: FOLI(1000), quantity: 1 },
          { id: FOLI(1001), quantity: 3 },
        ],
      },
    ]);
  });

  it("ignores the SKU entirely: a line whose SKU differs from Shopify's still maps, a SKU-only match does not", () => {
    const fos = [
      fo(100, [{ foli: 1000, lineItem: 1, remaining: 1, sku: "NEW-SKU" }]),
    ];
    expect(
      mapShipmentToFulfillmentOrders(
        { lines: [line(1, 1, "A", "OLD-SKU")] },
        fos,
      ).ok,
    ).toBe(true);
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders(
        { lines: [line(9, 1, "B", "NEW-SKU")] },
        fos,
      ),
    );
    expect(problems).toEqual([
      { kind: "line_not_found", lineItemId: LI(9), title: "B", sku: "NEW-SKU" },
    ]);
  });

  it("uses only the FO that holds the shipment's lines in a multi-FO order", () => {
    const fos = [
      fo(100, [{ foli: 1000, lineItem: 1, remaining: 1 }], {
        location: "東京倉庫",
      }),
      fo(101, [{ foli: 1010, lineItem: 2, remaining: 2 }], {
        location: "大阪倉庫",
      }),
    ];
    const result = expectOk(
      mapShipmentToFulfillmentOrders({ lines: [line(2, 2)] }, fos),
    );
    expect(result.lineItemsByFulfillmentOrder).toEqual([
      {
        fulfillmentOrderId: FO(101),
        fulfillmentOrderLineItems: [{ id: FOLI(1010), quantity: 2 }],
      },
    ]);
    expect(result.locationName).toBe("大阪倉庫");
  });

  it("groups lines by FO when the shipment spans two FOs at the same location", () => {
    const fos = [
      fo(101, [{ foli: 1010, lineItem: 2, remaining: 1 }]),
      fo(100, [{ foli: 1000, lineItem: 1, remaining: 1 }]),
    ];
    const result = expectOk(
      mapShipmentToFulfillmentOrders({ lines: [line(2, 1), line(1, 1)] }, fos),
    );
    expect(result.lineItemsByFulfillmentOrder).toEqual([
      {
        fulfillmentOrderId: FO(100),
        fulfillmentOrderLineItems: [{ id: FOLI(1000), quantity: 1 }],
      },
      {
        fulfillmentOrderId: FO(101),
        fulfillmentOrderLineItems: [{ id: FOLI(1010), quantity: 1 }],
      },
    ]);
  });

  it("spreads a line over two FOs (split at one location), filling FOs in id order", () => {
    const fos = [
      fo(11, [{ foli: 111, lineItem: 1, remaining: 3 }]),
      fo(10, [{ foli: 110, lineItem: 1, remaining: 2 }]),
    ];
    const result = expectOk(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 4)] }, fos),
    );
    expect(result.lineItemsByFulfillmentOrder).toEqual([
      {
        fulfillmentOrderId: FO(10),
        fulfillmentOrderLineItems: [{ id: FOLI(110), quantity: 2 }],
      },
      {
        fulfillmentOrderId: FO(11),
        fulfillmentOrderLineItems: [{ id: FOLI(111), quantity: 2 }],
      },
    ]);
  });

  it("orders FOs numerically (FO/9 before FO/10), not as strings", () => {
    const fos = [
      fo(10, [{ foli: 2, lineItem: 1, remaining: 1 }]),
      fo(9, [{ foli: 1, lineItem: 1, remaining: 1 }]),
    ];
    const result = expectOk(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 1)] }, fos),
    );
    expect(
      result.lineItemsByFulfillmentOrder.map((g) => g.fulfillmentOrderId),
    ).toEqual([FO(9)]);
  });

  it("never sends a quantity of 0: an FO line with nothing remaining is skipped", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 0, total: 2 }]),
      fo(11, [{ foli: 111, lineItem: 1, remaining: 2 }]),
    ];
    const result = mapShipmentToFulfillmentOrders({ lines: [line(1, 2)] }, fos);
    expect(expectOk(result).lineItemsByFulfillmentOrder).toEqual([
      {
        fulfillmentOrderId: FO(11),
        fulfillmentOrderLineItems: [{ id: FOLI(111), quantity: 2 }],
      },
    ]);
    expect(allQuantities(result).every((q) => q > 0)).toBe(true);
  });

  it("takes no more from later FOs than needed (no empty FO group)", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 5 }]),
      fo(11, [{ foli: 111, lineItem: 1, remaining: 5 }]),
    ];
    const result = expectOk(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 5)] }, fos),
    );
    expect(result.lineItemsByFulfillmentOrder).toHaveLength(1);
    expect(result.lineItemsByFulfillmentOrder[0].fulfillmentOrderId).toBe(
      FO(10),
    );
  });

  it("accepts IN_PROGRESS FOs that offer CREATE_FULFILLMENT", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 1 }], {
        status: "IN_PROGRESS",
      }),
    ];
    expect(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 1)] }, fos).ok,
    ).toBe(true);
  });

  it("does not mention held FOs when the fulfillable FOs cover the line", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 5 }], { status: "ON_HOLD" }),
      fo(11, [{ foli: 111, lineItem: 1, remaining: 2 }]),
    ];
    const result = expectOk(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 2)] }, fos),
    );
    expect(
      result.lineItemsByFulfillmentOrder.map((g) => g.fulfillmentOrderId),
    ).toEqual([FO(11)]);
  });

  it("is deterministic: shuffled FOs, FO lines and shipment lines give the identical result", () => {
    const fos = [
      fo(20, [
        { foli: 203, lineItem: 3, remaining: 1 },
        { foli: 201, lineItem: 1, remaining: 1 },
      ]),
      fo(21, [
        { foli: 212, lineItem: 2, remaining: 4 },
        { foli: 211, lineItem: 1, remaining: 4 },
      ]),
    ];
    const lines = [line(1, 3), line(2, 2), line(3, 1)];
    const expected = mapShipmentToFulfillmentOrders({ lines }, fos);
    const reversedFos = [...fos].reverse().map((f) => ({
      ...f,
      lineItems: { nodes: [...f.lineItems.nodes].reverse() },
    }));
    const again = mapShipmentToFulfillmentOrders(
      { lines: [...lines].reverse() },
      reversedFos,
    );
    expect(again).toEqual(expected);
    expect(expectOk(expected).lineItemsByFulfillmentOrder).toEqual([
      {
        fulfillmentOrderId: FO(20),
        fulfillmentOrderLineItems: [
          { id: FOLI(201), quantity: 1 },
          { id: FOLI(203), quantity: 1 },
        ],
      },
      {
        fulfillmentOrderId: FO(21),
        fulfillmentOrderLineItems: [
          { id: FOLI(211), quantity: 2 },
          { id: FOLI(212), quantity: 2 },
        ],
      },
    ]);
  });

  it("treats FOs without location info as one location", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 1 }], { location: null }),
      fo(11, [{ foli: 111, lineItem: 1, remaining: 1 }], { location: null }),
    ];
    const result = expectOk(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 2)] }, fos),
    );
    expect(result.lineItemsByFulfillmentOrder).toHaveLength(2);
    expect(result.locationName).toBeNull();
  });
});

describe("mapShipmentToFulfillmentOrders: locations", () => {
  it("keeps one fulfillment at one location: prefers the location that can cover every line", () => {
    // Line 1 is at both locations (Osaka has the lower FO id); line 2 only in Tokyo.
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 2 }], {
        location: "大阪倉庫",
      }),
      fo(
        11,
        [
          { foli: 111, lineItem: 1, remaining: 2 },
          { foli: 112, lineItem: 2, remaining: 1 },
        ],
        { location: "東京倉庫" },
      ),
    ];
    const result = expectOk(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 2), line(2, 1)] }, fos),
    );
    expect(result.locationName).toBe("東京倉庫");
    expect(result.lineItemsByFulfillmentOrder).toEqual([
      {
        fulfillmentOrderId: FO(11),
        fulfillmentOrderLineItems: [
          { id: FOLI(111), quantity: 2 },
          { id: FOLI(112), quantity: 1 },
        ],
      },
    ]);
  });

  it("when several locations could cover everything, takes the one of the lowest FO id", () => {
    const fos = [
      fo(11, [{ foli: 111, lineItem: 1, remaining: 2 }], {
        location: "東京倉庫",
      }),
      fo(10, [{ foli: 110, lineItem: 1, remaining: 2 }], {
        location: "大阪倉庫",
      }),
    ];
    expect(
      expectOk(mapShipmentToFulfillmentOrders({ lines: [line(1, 1)] }, fos))
        .locationName,
    ).toBe("大阪倉庫");
  });

  it("reports spans_multiple_locations when lines live at different locations", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 1 }], {
        location: "東京倉庫",
      }),
      fo(11, [{ foli: 111, lineItem: 2, remaining: 1 }], {
        location: "大阪倉庫",
      }),
    ];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders(
        { lines: [line(1, 1, "マグカップ"), line(2, 1, "皿")] },
        fos,
      ),
    );
    expect(problems).toEqual([
      {
        kind: "spans_multiple_locations",
        locations: [
          {
            locationName: "東京倉庫",
            fulfillmentOrderIds: [FO(10)],
            lines: [{ lineItemId: LI(1), title: "マグカップ", quantity: 1 }],
          },
          {
            locationName: "大阪倉庫",
            fulfillmentOrderIds: [FO(11)],
            lines: [{ lineItemId: LI(2), title: "皿", quantity: 1 }],
          },
        ],
      },
    ]);
  });

  it("reports spans_multiple_locations for one line whose remaining units are split across locations", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 2 }], {
        location: "東京倉庫",
      }),
      fo(11, [{ foli: 111, lineItem: 1, remaining: 2 }], {
        location: "大阪倉庫",
      }),
    ];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 3)] }, fos),
    );
    expect(problems).toEqual([
      {
        kind: "spans_multiple_locations",
        locations: [
          {
            locationName: "東京倉庫",
            fulfillmentOrderIds: [FO(10)],
            lines: [{ lineItemId: LI(1), quantity: 2 }],
          },
          {
            locationName: "大阪倉庫",
            fulfillmentOrderIds: [FO(11)],
            lines: [{ lineItemId: LI(1), quantity: 1 }],
          },
        ],
      },
    ]);
  });

  it("tells locations of one name apart by their address (no Location read needed)", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 1 }], {
        location: "倉庫",
        address1: "千代田区1-1",
      }),
      fo(11, [{ foli: 111, lineItem: 1, remaining: 1 }], {
        location: "倉庫",
        address1: "北区2-2",
      }),
    ];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 2)] }, fos),
    );
    expect(problems[0].kind).toBe("spans_multiple_locations");
  });
});

describe("mapShipmentToFulfillmentOrders: problems", () => {
  it("reports no_lines for an empty shipment", () => {
    expect(mapShipmentToFulfillmentOrders({ lines: [] }, [])).toEqual({
      ok: false,
      problems: [{ kind: "no_lines" }],
    });
  });

  it.each([0, -1, 1.5, Number.NaN])(
    "reports invalid_quantity for %s",
    (quantity) => {
      const fos = [fo(10, [{ foli: 110, lineItem: 1, remaining: 5 }])];
      const problems = expectProblems(
        mapShipmentToFulfillmentOrders(
          { lines: [line(1, quantity, "A")] },
          fos,
        ),
      );
      expect(problems).toEqual([
        { kind: "invalid_quantity", lineItemId: LI(1), title: "A", quantity },
      ]);
    },
  );

  it("reports a duplicate line instead of guessing", () => {
    const fos = [fo(10, [{ foli: 110, lineItem: 1, remaining: 5 }])];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders(
        { lines: [line(1, 1, "A"), line(1, 2, "A")] },
        fos,
      ),
    );
    expect(problems).toEqual([
      { kind: "duplicate_line", lineItemId: LI(1), title: "A" },
    ]);
  });

  it("reports line_not_found with title and sku", () => {
    const fos = [fo(10, [{ foli: 110, lineItem: 1, remaining: 5 }])];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders(
        { lines: [line(7, 1, "帽子", "HAT-1")] },
        fos,
      ),
    );
    expect(problems).toEqual([
      {
        kind: "line_not_found",
        lineItemId: LI(7),
        title: "帽子",
        sku: "HAT-1",
      },
    ]);
  });

  it("reports line_not_found when the order has no FOs at all", () => {
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 1)] }, []),
    );
    expect(problems).toEqual([{ kind: "line_not_found", lineItemId: LI(1) }]);
  });

  it("reports already_fulfilled when nothing remains anywhere (closed and open FOs)", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 0, total: 2 }], {
        status: "CLOSED",
      }),
      fo(11, [{ foli: 111, lineItem: 1, remaining: 0, total: 1 }]),
    ];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 1, "A")] }, fos),
    );
    expect(problems).toEqual([
      {
        kind: "already_fulfilled",
        lineItemId: LI(1),
        title: "A",
        requested: 1,
      },
    ]);
  });

  it("reports quantity_exceeds_remaining with requested, remaining and fulfillable", () => {
    const fos = [fo(10, [{ foli: 110, lineItem: 1, remaining: 2, total: 5 }])];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 5, "A")] }, fos),
    );
    expect(problems).toEqual([
      {
        kind: "quantity_exceeds_remaining",
        lineItemId: LI(1),
        title: "A",
        requested: 5,
        remaining: 2,
        fulfillableRemaining: 2,
      },
    ]);
  });

  it("reports an ON_HOLD FO holding the units (and no quantity problem when they exist)", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 2 }], {
        status: "ON_HOLD",
        location: "東京倉庫",
      }),
    ];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 2, "A")] }, fos),
    );
    expect(problems).toEqual([
      {
        kind: "fulfillment_order_on_hold",
        fulfillmentOrderId: FO(10),
        lineItemId: LI(1),
        title: "A",
        remaining: 2,
        locationName: "東京倉庫",
      },
    ]);
  });

  it("names the held FO when the open FO is short (1 open + 2 held, ship 3)", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 1 }]),
      fo(11, [{ foli: 111, lineItem: 1, remaining: 2 }], { status: "ON_HOLD" }),
    ];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 3)] }, fos),
    );
    expect(problems).toEqual([
      {
        kind: "fulfillment_order_on_hold",
        fulfillmentOrderId: FO(11),
        lineItemId: LI(1),
        remaining: 2,
        locationName: "東京倉庫",
      },
    ]);
  });

  it("names held FOs AND the quantity problem when even all FOs together are short", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 1 }]),
      fo(11, [{ foli: 111, lineItem: 1, remaining: 2 }], { status: "ON_HOLD" }),
    ];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 5)] }, fos),
    );
    expect(problems).toEqual([
      {
        kind: "fulfillment_order_on_hold",
        fulfillmentOrderId: FO(11),
        lineItemId: LI(1),
        remaining: 2,
        locationName: "東京倉庫",
      },
      {
        kind: "quantity_exceeds_remaining",
        lineItemId: LI(1),
        requested: 5,
        remaining: 3,
        fulfillableRemaining: 1,
      },
    ]);
  });

  it("reports a SCHEDULED FO with its fulfillAt", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 1 }], {
        status: "SCHEDULED",
        fulfillAt: "2026-12-01T00:00:00Z",
      }),
    ];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 1)] }, fos),
    );
    expect(problems).toEqual([
      {
        kind: "fulfillment_order_scheduled",
        fulfillmentOrderId: FO(10),
        lineItemId: LI(1),
        remaining: 1,
        fulfillAt: "2026-12-01T00:00:00Z",
        locationName: "東京倉庫",
      },
    ]);
  });

  it.each(["CLOSED", "CANCELLED", "INCOMPLETE"] as const)(
    "reports a %s FO holding units as fulfillment_order_closed",
    (status) => {
      const fos = [
        fo(10, [{ foli: 110, lineItem: 1, remaining: 1 }], { status }),
      ];
      const problems = expectProblems(
        mapShipmentToFulfillmentOrders({ lines: [line(1, 1)] }, fos),
      );
      expect(problems).toEqual([
        {
          kind: "fulfillment_order_closed",
          status,
          fulfillmentOrderId: FO(10),
          lineItemId: LI(1),
          remaining: 1,
          locationName: "東京倉庫",
        },
      ]);
    },
  );

  it("reports an OPEN FO without CREATE_FULFILLMENT (fulfillment service) as not fulfillable", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 1 }], {
        actions: ["REQUEST_FULFILLMENT", "CANCEL_FULFILLMENT_ORDER"],
        location: "3PL",
      }),
    ];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 1)] }, fos),
    );
    expect(problems).toEqual([
      {
        kind: "fulfillment_order_not_fulfillable",
        status: "OPEN",
        supportedActions: ["REQUEST_FULFILLMENT", "CANCEL_FULFILLMENT_ORDER"],
        fulfillmentOrderId: FO(10),
        lineItemId: LI(1),
        remaining: 1,
        locationName: "3PL",
      },
    ]);
  });

  it("treats an unknown future status as not fulfillable", () => {
    const unknown = {
      ...fo(10, [{ foli: 110, lineItem: 1, remaining: 1 }]),
      status: "PAUSED" as FulfillmentOrderStatus,
    };
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 1)] }, [unknown]),
    );
    expect(problems).toMatchObject([
      { kind: "fulfillment_order_not_fulfillable", status: "PAUSED" },
    ]);
  });

  it("does not name a blocked FO whose line has nothing remaining", () => {
    const fos = [
      fo(10, [{ foli: 110, lineItem: 1, remaining: 0, total: 3 }], {
        status: "CLOSED",
      }),
      fo(11, [{ foli: 111, lineItem: 1, remaining: 1 }]),
    ];
    const problems = expectProblems(
      mapShipmentToFulfillmentOrders({ lines: [line(1, 2)] }, fos),
    );
    expect(problems).toEqual([
      {
        kind: "quantity_exceeds_remaining",
        lineItemId: LI(1),
        requested: 2,
        remaining: 1,
        fulfillableRemaining: 1,
      },
    ]);
  });

  it("collects the problems of every line, in line order, and returns no partial mapping", () => {
    const fos = [
      fo(10, [
        { foli: 110, lineItem: 1, remaining: 1 },
        { foli: 111, lineItem: 2, remaining: 5 },
      ]),
    ];
    const result = mapShipmentToFulfillmentOrders(
      { lines: [line(2, 1), line(3, 1, "C"), line(1, 4, "A")] },
      fos,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { kind: "line_not_found", lineItemId: LI(3), title: "C" },
        {
          kind: "quantity_exceeds_remaining",
          lineItemId: LI(1),
          title: "A",
          requested: 4,
          remaining: 1,
          fulfillableRemaining: 1,
        },
      ],
    });
  });
});

describe("isFulfillable", () => {
  it.each([
    ["OPEN", ["CREATE_FULFILLMENT"], true],
    ["IN_PROGRESS", ["CREATE_FULFILLMENT"], true],
    ["OPEN", ["REQUEST_FULFILLMENT"], false],
    ["ON_HOLD", ["CREATE_FULFILLMENT"], false],
    ["SCHEDULED", ["CREATE_FULFILLMENT"], false],
    ["CLOSED", ["CREATE_FULFILLMENT"], false],
  ] as const)("%s with %j → %s", (status, actions, expected) => {
    expect(isFulfillable(fo(1, [], { status, actions: [...actions] }))).toBe(
      expected,
    );
  });
});

describe("compareGid", () => {
  it("orders by the numeric tail within one type, by string otherwise", () => {
    const ids = [FO(10), FO(9), FO(100), "gid://shopify/Fulfillment/1"];
    expect([...ids].sort(compareGid)).toEqual([
      "gid://shopify/Fulfillment/1",
      FO(9),
      FO(10),
      FO(100),
    ]);
    expect(compareGid(FO(5), FO(5))).toBe(0);
  });

  it("handles ids beyond Number.MAX_SAFE_INTEGER", () => {
    expect(
      compareGid(
        FO(Number.MAX_SAFE_INTEGER) + "1",
        FO(Number.MAX_SAFE_INTEGER) + "0",
      ),
    ).toBe(1);
  });
});

// ---------------------------------------------------------------------------

function fulfillment(
  id: number,
  numbers: (string | null)[],
  lines: [lineItem: number, quantity: number | null][],
  status = "SUCCESS",
): RecordedFulfillment {
  return {
    id: `gid://shopify/Fulfillment/${id}`,
    status,
    trackingInfo: numbers.map((number) => ({
      number,
      company: "Yamato (JA)",
      url: null,
    })),
    fulfillmentLineItems: {
      nodes: lines.map(([n, quantity]) => ({
        lineItem: { id: LI(n) },
        quantity,
      })),
    },
  };
}

describe("findMatchingFulfillment", () => {
  const shipment = {
    trackingNumbers: ["1234-5678-9012", "999988887777"],
    lines: [line(1, 2), line(2, 1)],
  };

  it("finds the fulfillment with the same tracking numbers (any order, form) and the same quantities", () => {
    const match = fulfillment(
      5,
      ["999988887777", "１２３４５６７８９０１２"],
      [
        [2, 1],
        [1, 2],
      ],
    );
    const others = [
      fulfillment(
        3,
        ["123456789012"],
        [
          [1, 2],
          [2, 1],
        ],
      ),
      fulfillment(
        4,
        ["123456789012", "999988887777"],
        [
          [1, 1],
          [2, 1],
        ],
      ),
    ];
    expect(findMatchingFulfillment(shipment, [...others, match])).toBe(match);
  });

  it("returns null when a quantity differs", () => {
    expect(
      findMatchingFulfillment(shipment, [
        fulfillment(
          5,
          ["123456789012", "999988887777"],
          [
            [1, 3],
            [2, 1],
          ],
        ),
      ]),
    ).toBeNull();
  });

  it("returns null when the fulfillment has an extra or a missing line", () => {
    const numbers = ["123456789012", "999988887777"];
    expect(
      findMatchingFulfillment(shipment, [
        fulfillment(5, numbers, [
          [1, 2],
          [2, 1],
          [3, 1],
        ]),
      ]),
    ).toBeNull();
    expect(
      findMatchingFulfillment(shipment, [fulfillment(6, numbers, [[1, 2]])]),
    ).toBeNull();
  });

  it("returns null when a tracking number is missing or extra", () => {
    expect(
      findMatchingFulfillment(shipment, [
        fulfillment(
          5,
          ["123456789012"],
          [
            [1, 2],
            [2, 1],
          ],
        ),
      ]),
    ).toBeNull();
    expect(
      findMatchingFulfillment(shipment, [
        fulfillment(
          6,
          ["123456789012", "999988887777", "1"],
          [
            [1, 2],
            [2, 1],
          ],
        ),
      ]),
    ).toBeNull();
  });

  it.each(["CANCELLED", "ERROR", "FAILURE"])(
    "never adopts a %s fulfillment",
    (status) => {
      expect(
        findMatchingFulfillment(shipment, [
          fulfillment(
            5,
            ["123456789012", "999988887777"],
            [
              [1, 2],
              [2, 1],
            ],
            status,
          ),
        ]),
      ).toBeNull();
    },
  );

  it("skips excluded ids (already adopted by another shipment) and takes the next match", () => {
    const a = fulfillment(
      5,
      ["123456789012", "999988887777"],
      [
        [1, 2],
        [2, 1],
      ],
    );
    const b = fulfillment(
      6,
      ["123456789012", "999988887777"],
      [
        [1, 2],
        [2, 1],
      ],
    );
    expect(findMatchingFulfillment(shipment, [a, b], new Set([a.id]))).toBe(b);
    expect(
      findMatchingFulfillment(shipment, [a, b], new Set([a.id, b.id])),
    ).toBeNull();
  });

  it("returns the oldest when several match; findMatchingFulfillments lists all, oldest first", () => {
    const newer = fulfillment(
      12,
      ["123456789012", "999988887777"],
      [
        [1, 2],
        [2, 1],
      ],
    );
    const older = fulfillment(
      9,
      ["123456789012", "999988887777"],
      [
        [1, 2],
        [2, 1],
      ],
    );
    expect(findMatchingFulfillment(shipment, [newer, older])).toBe(older);
    expect(findMatchingFulfillments(shipment, [newer, older])).toEqual([
      older,
      newer,
    ]);
  });

  it("sums a line split over several fulfillment line items (FOs split at one location)", () => {
    const f = fulfillment(
      5,
      ["123456789012", "999988887777"],
      [
        [1, 1],
        [1, 1],
        [2, 1],
      ],
    );
    expect(findMatchingFulfillment(shipment, [f])).toBe(f);
  });

  it("matches a shipment without tracking numbers only to a fulfillment without any", () => {
    const noTracking = { trackingNumbers: [], lines: [line(1, 1)] };
    const without = fulfillment(5, [null], [[1, 1]]);
    const withOne = fulfillment(6, ["123"], [[1, 1]]);
    expect(findMatchingFulfillment(noTracking, [withOne])).toBeNull();
    expect(findMatchingFulfillment(noTracking, [withOne, without])).toBe(
      without,
    );
  });

  it("treats a null quantity as 0 (that line does not count)", () => {
    const f = fulfillment(
      5,
      ["X1"],
      [
        [1, 1],
        [2, null],
      ],
    );
    expect(
      findMatchingFulfillment(
        { trackingNumbers: ["x1"], lines: [line(1, 1)] },
        [f],
      ),
    ).toBe(f);
  });
});

describe("trackingNumberComparisonKey", () => {
  it("ignores width, case, spaces and dashes (including the IME's ー)", () => {
    expect(trackingNumberComparisonKey(" ｅｎ１２３ー４５６ jp ")).toBe(
      "EN123456JP",
    );
    expect(trackingNumberComparisonKey("1234-5678 9012")).toBe("123456789012");
  });
});
