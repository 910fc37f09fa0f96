import { describe, expect, it } from "vitest";
import { t } from "~/i18n/messages";
import { defaultPlan, quantityFieldName } from "~/orders/shipment-plan";
import { parseShipmentPlanForm } from "~/orders/shipment-plan-form";

const lines = [
  { id: 1, vendor: "有田焼", remaining: 3 },
  { id: 2, vendor: "今治", remaining: 2 },
  { id: 3, vendor: "有田焼", remaining: 1 },
  { id: 4, vendor: null, remaining: 1 },
  { id: 5, vendor: "今治", remaining: 0 },
];

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("defaultPlan", () => {
  it("makes one shipment per vendor (no vendor is a group too) with every remaining unit, in line order", () => {
    expect(defaultPlan(lines)).toEqual([
      {
        vendor: "有田焼",
        lines: [
          { lineId: 1, quantity: 3 },
          { lineId: 3, quantity: 1 },
        ],
      },
      { vendor: "今治", lines: [{ lineId: 2, quantity: 2 }] },
      { vendor: null, lines: [{ lineId: 4, quantity: 1 }] },
    ]);
  });
});

describe("parseShipmentPlanForm", () => {
  it("takes the edited quantities, leaving out zeros and empty shipments", () => {
    const parsed = parseShipmentPlanForm(
      form({ line_1: "2", line_3: "0", line_2: "0", line_4: "1" }),
      lines,
    );
    expect(parsed).toEqual({
      ok: true,
      shipments: [
        { vendor: "有田焼", lines: [{ lineId: 1, quantity: 2 }] },
        { vendor: null, lines: [{ lineId: 4, quantity: 1 }] },
      ],
    });
  });

  it("counts a missing quantity as 0 and reads full-width digits", () => {
    expect(parseShipmentPlanForm(form({ line_2: "２" }), lines)).toEqual({
      ok: true,
      shipments: [{ vendor: "今治", lines: [{ lineId: 2, quantity: 2 }] }],
    });
  });

  it("gives field errors for quantities over what remains or not whole numbers", () => {
    const parsed = parseShipmentPlanForm(
      form({ line_1: "4", line_2: "1.5", line_4: "-1" }),
      lines,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.fieldErrors).sort()).toEqual([
      "line_1",
      "line_2",
      "line_4",
    ]);
    expect(t("en", parsed.fieldErrors.line_1!)).toMatch(/3/);
  });

  it("ignores quantities for lines that are not the order's (or have nothing left)", () => {
    expect(
      parseShipmentPlanForm(
        form({ line_99: "5", line_5: "1", line_1: "1" }),
        lines,
      ),
    ).toEqual({
      ok: true,
      shipments: [{ vendor: "有田焼", lines: [{ lineId: 1, quantity: 1 }] }],
    });
  });

  it("asks for at least one unit", () => {
    const parsed = parseShipmentPlanForm(
      form({}),
      lines.map((l) => ({ ...l })),
    );
    // Missing fields are 0: nothing chosen.
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(t("en", parsed.formError!)).toMatch(/at least one/);
    expect(quantityFieldName(7)).toBe("line_7");
  });
});
