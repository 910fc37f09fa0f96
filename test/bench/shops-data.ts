/** Shared by shops.bench.ts and the worker processes it spawns. */
export const shopName = (i: number) => `bench-shop-${String(i).padStart(3, "0")}.myshopify.com`;
export const tokenFor = (shop: string) => `shpat_${shop.replace(/\W/g, "_")}`;
