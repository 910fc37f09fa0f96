import {
  DEFAULT_RETRY_WINDOW_MINUTES,
  RETRY_WINDOW_MAX_MINUTES,
  RETRY_WINDOW_MIN_MINUTES,
} from "~/fulfillment/retry-policy";

/**
 * Bounds of the per-shop sync settings, shared by the settings page (client code) and
 * ~/shops/settings.server (validation): a route component may not import a .server
 * module, or the client build fails. The page shows the retry budget in whole hours.
 */
export const RETRY_WINDOW_MIN_HOURS = RETRY_WINDOW_MIN_MINUTES / 60;
export const RETRY_WINDOW_MAX_HOURS = RETRY_WINDOW_MAX_MINUTES / 60;
export const DEFAULT_RETRY_WINDOW_HOURS = DEFAULT_RETRY_WINDOW_MINUTES / 60;
