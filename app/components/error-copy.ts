import { errorClassLabel } from "~/fulfillment/messages";
import { SYNC_ERROR_CLASSES, type SyncErrorClass } from "~/fulfillment/errors";
import type { Locale } from "~/i18n/locale";
import { t } from "~/i18n/messages";

/** The short label of a stored error class (shipments.last_error_class). */
export function errorTitle(errorClass: string, locale: Locale): string {
  return isSyncErrorClass(errorClass) ? t(locale, errorClassLabel(errorClass)) : errorClass;
}

export function isSyncErrorClass(value: string | null | undefined): value is SyncErrorClass {
  return (SYNC_ERROR_CLASSES as readonly string[]).includes(value ?? "");
}
