/** The most automatic attempts a shop may allow (shops.max_sync_attempts' check). */
export const MAX_ATTEMPTS_LIMIT = 25;
