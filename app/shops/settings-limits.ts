/**
 * Bounds of the per-shop sync settings, shared by the settings page (client code) and
 * ~/shops/settings.server (validation): a route component may not import a .server
 * module, or the client build fails.
 */
export const MAX_ATTEMPTS_LIMIT = 25;
