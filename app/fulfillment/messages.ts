/**
 * What the fulfillment domain tells the operator, as messages: codes and parameters of
 * the `fulfillment` catalogue (~/i18n/catalogues/fulfillment), no words. Status badges,
 * error-class labels and guidance, mapping problems, carrier and tracking-number
 * warnings, carrier names. Pages render them with `t()` / `useT()` (~/i18n).
 */
import {
  list,
  message,
  t,
  type Message,
  type MessageParam,
  type SubKey,
} from "~/i18n/messages";
import type { Locale } from "~/i18n/locale";
import type { ShipmentStatus, SyncOperation, SyncState } from "./shipment-state";
import type {
  CarrierVariant,
  CarrierWarning,
  JapaneseCarrierKey,
  TrackingNumberWarning,
} from "./carriers";
import type {
  InvalidReason,
  ShopUnavailableReason,
  SyncErrorClass,
} from "./errors";
import type { MappingProblem } from "./mapping";

// ---------------------------------------------------------------------------
// Status badge
// ---------------------------------------------------------------------------

export type BadgeTone =
  "success" | "attention" | "critical" | "info" | undefined;

export type BadgeKey = SubKey<"fulfillment.badge">;

export interface ShipmentBadgeInput {
  status: ShipmentStatus;
  syncState: SyncState;
  pendingOperation: SyncOperation | null;
  /** Set when a pending sync is retrying after a failure: shown with more emphasis. */
  lastErrorClass?: SyncErrorClass | null;
}

/**
 * The status badge of a shipment (Polaris `Badge` tone and label):
 * - failed → critical 同期エラー / Sync error;
 * - pending → 発送済み (未同期) / Shipped (not synced) for create and tracking updates,
 *   未発送 (未同期) / Unshipped (not synced) for a revert (cancel); tone `info` while
 *   nothing failed yet, `attention` once an attempt failed and a retry is waiting;
 * - in sync → success 発送済み / Shipped, or no tone 未発送 / Unshipped.
 * Without a pending operation (not expected), the local status decides the label.
 */
export function shipmentBadge(input: ShipmentBadgeInput): {
  tone: BadgeTone;
  label: Message;
  /** The badge as a key of the catalogue's `badge` group (the order-page extensions' locale files use it). */
  key: BadgeKey;
} {
  const badge = (tone: BadgeTone, key: BadgeKey) => ({
    tone,
    key,
    label: message(`fulfillment.badge.${key}`),
  });
  if (input.syncState === "failed") return badge("critical", "syncError");
  if (input.syncState === "pending") {
    const reverting =
      input.pendingOperation === "cancel_fulfillment" ||
      (input.pendingOperation === null && input.status === "unshipped");
    return badge(
      input.lastErrorClass ? "attention" : "info",
      reverting ? "unshippedNotSynced" : "shippedNotSynced",
    );
  }
  return input.status === "shipped"
    ? badge("success", "shipped")
    : badge(undefined, "unshipped");
}

/** Short name of an error class, e.g. for the list's "last error" column. */
export function errorClassLabel(errorClass: SyncErrorClass): Message {
  return message(`fulfillment.errorClass.${errorClass}`);
}

// ---------------------------------------------------------------------------
// Sync error guidance
// ---------------------------------------------------------------------------

export interface SyncErrorGuidance {
  title: Message;
  action: Message;
}

type GuidanceText = SubKey<"fulfillment.guidance">;

/**
 * Title and next step for a classified error. The missing-scope title is exactly
 * 「権限が不足しています – アプリの再認可をご確認ください」, its action names the scopes.
 */
export function syncErrorGuidance(input: {
  errorClass: SyncErrorClass;
  message?: string;
  /**
   * What the app itself found wrong (SyncError.detail, shipments.last_error_detail):
   * quoted instead of `message`, and an `invalid` error is titled as refused by the
   * app's check before Shopify was asked, not by Shopify.
   */
  detail?: Message | null;
  invalidReason?: InvalidReason;
  missingScopes?: readonly string[];
  retryAfterMs?: number;
  shopUnavailableReason?: ShopUnavailableReason;
}): SyncErrorGuidance {
  const detail =
    input.message && input.message.trim() !== "" ? input.message.trim() : "-";
  let title: GuidanceText;
  let action: GuidanceText;
  let params: Record<string, MessageParam> = { detail: input.detail ?? detail };
  switch (input.errorClass) {
    case "reauth_required":
      [title, action] = ["reauthRequiredTitle", "reauthRequiredAction"];
      break;
    case "missing_scope": {
      const scopes = input.missingScopes ?? [];
      title = "missingScopeTitle";
      action =
        scopes.length > 0 ? "missingScopeAction" : "missingScopeUnknownAction";
      params = { scopes: list(scopes) };
      break;
    }
    case "not_found":
      [title, action] = ["notFoundTitle", "notFoundAction"];
      break;
    case "invalid":
      if (input.detail) {
        [title, action] = ["invalidCheckedTitle", "invalidCheckedAction"];
        break;
      }
      switch (input.invalidReason ?? "other") {
        case "quantity":
          [title, action] = ["invalidQuantityTitle", "invalidQuantityAction"];
          break;
        case "status":
          [title, action] = ["invalidStatusTitle", "invalidStatusAction"];
          break;
        case "tracking":
          [title, action] = ["invalidTrackingTitle", "invalidTrackingAction"];
          break;
        default:
          [title, action] = ["invalidOtherTitle", "invalidOtherAction"];
      }
      break;
    case "throttled": {
      const seconds = Math.max(
        1,
        Math.ceil((input.retryAfterMs ?? 1000) / 1000),
      );
      [title, action] = ["throttledTitle", "throttledAction"];
      params = { seconds };
      break;
    }
    case "transient":
      // With the app's own words (Shopify read afterwards, nothing there): they say a
      // retry is safe.
      [title, action] = ["transientTitle", input.detail ? "transientCheckedAction" : "transientAction"];
      break;
    case "outcome_unknown":
      [title, action] = ["outcomeUnknownTitle", "outcomeUnknownAction"];
      break;
    case "protected_customer_data":
      [title, action] = [
        "protectedCustomerDataTitle",
        "protectedCustomerDataAction",
      ];
      break;
    case "order_too_old":
      [title, action] = ["orderTooOldTitle", "orderTooOldAction"];
      break;
    case "shop_unavailable":
      [title, action] =
        input.shopUnavailableReason === "frozen"
          ? ["shopFrozenTitle", "shopFrozenAction"]
          : input.shopUnavailableReason === "locked"
            ? ["shopLockedTitle", "shopLockedAction"]
            : ["shopUnavailableTitle", "shopUnavailableAction"];
      break;
  }
  // Each text takes the parameters it has placeholders for (the others are ignored).
  return {
    title: { key: `fulfillment.guidance.${title}`, params },
    action: { key: `fulfillment.guidance.${action}`, params },
  };
}

// ---------------------------------------------------------------------------
// Mapping problems
// ---------------------------------------------------------------------------

/**
 * A mapping problem as a sentence for the operator.
 * @param options.timeZone for SCHEDULED FOs' `fulfillAt` (default Asia/Tokyo).
 */
export function mappingProblemMessage(
  problem: MappingProblem,
  options: { timeZone?: string | null } = {},
): Message {
  const item = (p: { title?: string; lineItemId: string }) =>
    p.title ?? p.lineItemId;
  const location = (name: string | null): MessageParam =>
    name ? message("fulfillment.problems.atLocation", { location: name }) : "";
  switch (problem.kind) {
    case "no_lines":
      return message("fulfillment.problems.noLines");
    case "invalid_quantity":
      return message("fulfillment.problems.invalidQuantity", {
        item: item(problem),
        quantity: problem.quantity,
      });
    case "duplicate_line":
      return message("fulfillment.problems.duplicateLine", {
        item: item(problem),
      });
    case "line_not_found":
      return message("fulfillment.problems.lineNotFound", {
        item: item(problem),
      });
    case "already_fulfilled":
      return message("fulfillment.problems.alreadyFulfilled", {
        item: item(problem),
      });
    case "quantity_exceeds_remaining":
      return message("fulfillment.problems.quantityExceedsRemaining", {
        item: item(problem),
        requested: problem.requested,
        remaining: problem.remaining,
        fulfillable: problem.fulfillableRemaining,
      });
    case "fulfillment_order_on_hold":
      return message("fulfillment.problems.fulfillmentOrderOnHold", {
        item: item(problem),
        remaining: problem.remaining,
        location: location(problem.locationName),
      });
    case "fulfillment_order_scheduled":
      return problem.fulfillAt &&
        !Number.isNaN(new Date(problem.fulfillAt).getTime())
        ? message("fulfillment.problems.fulfillmentOrderScheduled", {
            item: item(problem),
            remaining: problem.remaining,
            location: location(problem.locationName),
            fulfillAt: {
              dateTime: problem.fulfillAt,
              timeZone: options.timeZone ?? null,
            },
          })
        : message("fulfillment.problems.fulfillmentOrderScheduledNoDate", {
            item: item(problem),
            remaining: problem.remaining,
            location: location(problem.locationName),
          });
    case "fulfillment_order_closed":
      return message("fulfillment.problems.fulfillmentOrderClosed", {
        item: item(problem),
        remaining: problem.remaining,
        location: location(problem.locationName),
        status: message(
          problem.status === "CLOSED"
            ? "fulfillment.problems.statusClosed"
            : problem.status === "CANCELLED"
              ? "fulfillment.problems.statusCancelled"
              : "fulfillment.problems.statusIncomplete",
        ),
      });
    case "fulfillment_order_not_fulfillable":
      return message("fulfillment.problems.fulfillmentOrderNotFulfillable", {
        item: item(problem),
        remaining: problem.remaining,
        location: location(problem.locationName),
        status: problem.status,
      });
    case "spans_multiple_locations":
      return message("fulfillment.problems.spansMultipleLocations", {
        locations: list(
          problem.locations.map((l) =>
            message("fulfillment.problems.locationSummary", {
              location:
                l.locationName ??
                message("fulfillment.problems.unknownLocation"),
              lines: list(
                l.lines.map((line) =>
                  message("fulfillment.problems.lineQuantity", {
                    item: item(line),
                    quantity: line.quantity,
                  }),
                ),
              ),
            }),
          ),
          "fulfillment.problems.locationSeparator",
        ),
      });
  }
}

/**
 * Every mapping problem of a shipment as one message, each problem's sentence after the
 * other (what the sync stores in shipments.last_error_detail). At least one problem.
 * @param options.timeZone for SCHEDULED FOs' `fulfillAt` (default Asia/Tokyo).
 */
export function mappingProblemsMessage(
  problems: readonly MappingProblem[],
  options: { timeZone?: string | null } = {},
): Message {
  const sentences = problems.map((p) => mappingProblemMessage(p, options));
  if (sentences.length === 0)
    throw new Error("mappingProblemsMessage needs at least one problem");
  return sentences.reduceRight((second, first) =>
    message("common.twoSentences", { first, second }),
  );
}

// ---------------------------------------------------------------------------
// Carriers
// ---------------------------------------------------------------------------

/** A carrier warning as a sentence for the operator. */
export function describeCarrierWarning(warning: CarrierWarning): Message {
  switch (warning.code) {
    case "unknown_carrier":
      return warning.suggestions.length > 0
        ? message("fulfillment.carrierWarnings.unknownCarrierWithSuggestions", {
            input: warning.input,
            suggestions: list(warning.suggestions),
          })
        : message("fulfillment.carrierWarnings.unknownCarrier", {
            input: warning.input,
          });
    case "carrier_not_listed_for_country":
      return message("fulfillment.carrierWarnings.carrierNotListedForCountry", {
        company: warning.company,
        countryCode: warning.countryCode,
      });
  }
}

/** A tracking-number warning as a sentence for the operator. */
export function describeTrackingNumberWarning(
  warning: TrackingNumberWarning,
): Message {
  const carrier = carrierName(warning.carrierKey);
  switch (warning.code) {
    case "not_numeric":
      return message("fulfillment.trackingWarnings.notNumeric", {
        carrier,
        number: warning.number,
      });
    case "unexpected_length": {
      const lengths = [...warning.expectedLengths].sort((a, b) => a - b);
      return message("fulfillment.trackingWarnings.unexpectedLength", {
        carrier,
        expected:
          lengths.length === 1
            ? String(lengths[0])
            : message("fulfillment.trackingWarnings.lengthRange", {
                min: lengths[0]!,
                max: lengths[lengths.length - 1]!,
              }),
        actual: warning.actualLength,
      });
    }
    case "check_digit_mismatch":
      return message("fulfillment.trackingWarnings.checkDigitMismatch", {
        carrier,
        number: warning.number,
      });
    case "unexpected_format":
      return message("fulfillment.trackingWarnings.unexpectedFormat", {
        carrier,
        number: warning.number,
      });
  }
}

const CARRIER_NAME_KEYS: readonly JapaneseCarrierKey[] = [
  "yamato",
  "sagawa",
  "japan_post",
  "seino",
  "seino_super_express",
  "fukuyama",
  "nittsu",
  "meitetsu",
  "daiichi",
  "ecohai",
];

/**
 * A carrier's name for people: Japanese carriers by their local name (with "(日本語)"
 * / "(英語)" for the JA/EN variants Shopify lists), any other key as given.
 */
export function carrierName(
  carrierKey: string,
  variant?: CarrierVariant,
): Message | string {
  if (!(CARRIER_NAME_KEYS as readonly string[]).includes(carrierKey))
    return carrierKey;
  const name = message(
    `fulfillment.carriers.${carrierKey as JapaneseCarrierKey}`,
  );
  if (!variant) return name;
  return message(
    variant === "ja"
      ? "fulfillment.carriers.variantJa"
      : "fulfillment.carriers.variantEn",
    { name },
  );
}

/** carrierName, in a language (the carrier select's labels, the list's column). */
export function carrierDisplayName(
  carrierKey: string,
  locale: Locale,
  variant?: CarrierVariant,
): string {
  const name = carrierName(carrierKey, variant);
  return typeof name === "string" ? name : t(locale, name);
}
