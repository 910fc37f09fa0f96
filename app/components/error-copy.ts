import { errorClassLabel } from "~/fulfillment/messages";
import { SYNC_ERROR_CLASSES, type SyncErrorClass } from "~/fulfillment/errors";
import type { AppLocale } from "~/i18n/locale";

/** The short label of a stored error class (shipments.last_error_class). */
export function errorTitle(errorClass: string, locale: AppLocale): string {
  return isSyncErrorClass(errorClass) ? errorClassLabel(errorClass)[locale] : errorClass;
}

export function isSyncErrorClass(value: string | null | undefined): value is SyncErrorClass {
  return (SYNC_ERROR_CLASSES as readonly string[]).includes(value ?? "");
}
