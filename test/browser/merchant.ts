/**
 * What a merchant does and sees in the admin, as small steps for the browser tests.
 * Polaris renders a badge's tone as visually hidden text inside the badge, so badge
 * labels are read from the visible text only.
 */
import { expect } from "vitest";

import type { AdminPage } from "./harness";

type Locator = ReturnType<AdminPage["app"]["locator"]>;

const VISIBLE_BADGE_TEXT =
  ".Polaris-Badge > .Polaris-Text--root:not(.Polaris-Text--visuallyHidden)";

/** Rows of the shipments table. */
export function rows(admin: AdminPage): Locator {
  return admin.app.locator(".Polaris-IndexTable__TableRow");
}

/** The shipments table's row for an order and vendor. */
export function row(
  admin: AdminPage,
  orderName: string,
  vendor: string,
): Locator {
  return rows(admin).filter({ hasText: orderName }).filter({ hasText: vendor });
}

/** The visible labels of the Polaris badges under `scope`. */
export function badgeLabels(scope: Locator): Promise<string[]> {
  return scope.locator(VISIBLE_BADGE_TEXT).allTextContents();
}

/** The status badge of a row (its first badge; the second is the last error's). */
export async function rowStatus(
  admin: AdminPage,
  orderName: string,
  vendor: string,
): Promise<string | null> {
  const labels = await badgeLabels(row(admin, orderName, vendor));
  return labels[0] ?? null;
}

/** The status badge beside a shipment page's title. */
export function titleBadge(admin: AdminPage): Promise<string | null> {
  return admin.app
    .locator(`.Polaris-Header-Title__TitleWrapper ${VISIBLE_BADGE_TEXT}`)
    .textContent();
}

/** Every toast the App Bridge stand-in is showing right now. */
export function toasts(admin: AdminPage): Promise<string[]> {
  return admin.app.locator("[data-demo-toast]").allTextContents();
}

/** Opens a shipment from the table with a click (client-side navigation). */
export async function openShipment(
  admin: AdminPage,
  orderName: string,
  vendor: string,
): Promise<void> {
  await row(admin, orderName, vendor).click();
  await expect
    .poll(
      () =>
        admin.app
          .getByRole("heading", { name: `${orderName} — ${vendor}` })
          .count(),
      { timeout: 20_000 },
    )
    .toBe(1);
  await admin.settled();
}

/**
 * Fills the mark-shipped form (tracking number, a carrier picked from the suggestions
 * for `carrierQuery`) and submits it.
 */
export async function markShipped(
  admin: AdminPage,
  {
    tracking,
    carrierQuery = "ヤマト",
    labels = JA,
  }: { tracking: string; carrierQuery?: string; labels?: FormLabels },
): Promise<void> {
  const { app } = admin;
  await app.getByLabel(labels.tracking).fill(tracking);
  await app.getByLabel(labels.carrier).fill(carrierQuery);
  await app.getByRole("option").first().click();
  await app.getByRole("button", { name: labels.submit }).click();
}

interface FormLabels {
  tracking: string;
  carrier: string;
  submit: string;
}
const JA: FormLabels = {
  tracking: "追跡番号",
  carrier: "配送業者",
  submit: "発送済みにする",
};

/** A Yamato / Sagawa style number: 11 digits and their mod-7 check digit. */
export function trackingNumber(first11: string): string {
  if (!/^\d{11}$/.test(first11))
    throw new Error(`trackingNumber needs 11 digits, got ${first11}`);
  return `${first11}${Number(BigInt(first11) % 7n)}`;
}

/** Console errors and uncaught exceptions, except those a test expects. */
export function expectNoBrowserErrors(
  admin: AdminPage,
  allowed: RegExp[] = [],
): void {
  const unexpected = admin.errors.filter(
    (error) => !allowed.some((pattern) => pattern.test(error)),
  );
  expect(
    unexpected,
    "console errors or uncaught exceptions in the admin frame or the app",
  ).toEqual([]);
}
