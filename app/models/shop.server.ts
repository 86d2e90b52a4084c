import db from "../db.server";
import { placeholder, type RawSql } from "./sql/sql.server";

export async function getShop(shop: string) {
  return db.shop.findUnique({ where: { shop } });
}

/** Every installed shop, in a stable order (the scheduler's round). */
export async function installedShops() {
  return db.shop.findMany({ where: { uninstalledAt: null }, select: { shop: true }, orderBy: { shop: "asc" } });
}

/** Whether the shop has a fitted model to score customers with (after its first recompute). */
export async function shopHasModel(sql: RawSql, shop: string): Promise<boolean> {
  const rows = await sql.$queryRawUnsafe<unknown[]>(
    `SELECT 1 FROM "Shop" WHERE "shop" = ${placeholder(1)} AND "modelState" IS NOT NULL`,
    shop,
  );
  return rows.length > 0;
}

/** Stores the shop's name, currency, time zone and country (and that it is installed). */
export async function saveShopDetails(
  shop: string,
  details: { name: string; currencyCode: string; ianaTimezone: string; countryCode?: string | null },
) {
  const fields = { ...details, uninstalledAt: null };
  return db.shop.upsert({ where: { shop }, create: { shop, ...fields }, update: fields });
}

/** (Re)marks the shop installed; returns whether its history was ever imported. */
export async function markInstalled(shop: string) {
  await db.shop.upsert({ where: { shop }, create: { shop }, update: { uninstalledAt: null } });
  const imported = await db.syncRun.count({ where: { shop, kind: "backfill", status: { not: "failed" } } });
  return { needsBackfill: imported === 0 };
}

export async function markUninstalled(shop: string) {
  await db.session.deleteMany({ where: { shop } });
  await db.shop.updateMany({ where: { shop }, data: { uninstalledAt: new Date() } });
}

export type ShopInstallState = "installed" | "uninstalled" | "unknown";

/**
 * Whether Kinship holds the shop as installed, uninstalled (awaiting shop/redact) or not at all
 * (never installed, or redacted): webhooks for a shop Kinship does not hold write nothing.
 */
export async function shopInstallState(shop: string): Promise<ShopInstallState> {
  const row = await db.shop.findUnique({ where: { shop }, select: { uninstalledAt: true } });
  if (!row) return "unknown";
  return row.uninstalledAt ? "uninstalled" : "installed";
}

/** Whether an offline session (an access token) is stored for the shop. */
export async function hasOfflineSession(shop: string): Promise<boolean> {
  return (await db.session.count({ where: { shop, isOnline: false } })) > 0;
}
