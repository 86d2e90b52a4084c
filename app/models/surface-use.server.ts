/**
 * Surfaces shoppers open inside Shopify, per shop (issue #16): when Kinship first served one after a
 * verified session token, and when it last did. The reward engine and the dashboard read it to know
 * whether the customer account page is in use (docs/decisions/026).
 */
import db from "../db.server";
import { isUniqueViolation } from "./sql/transient-errors.server";

export const SURFACES = ["customerAccountPage"] as const;
export type Surface = (typeof SURFACES)[number];

/** `lastLoadedAt` is moved at most this often: a page load must not be a write. */
export const LOAD_RECORD_INTERVAL_MS = 60 * 60_000;

export interface SurfaceUseRow {
  firstLoadedAt: Date;
  lastLoadedAt: Date;
}

// Per process: when this instance last wrote a shop's load (another instance may write it too: harmless).
const written = new Map<string, number>();

/**
 * Notes a successful, authenticated load. Writes only the first time and then at most hourly per
 * process, so loads cost no write; `firstLoadedAt` is never moved.
 */
export async function recordSurfaceLoad(shop: string, surface: Surface, now: Date): Promise<void> {
  const key = `${shop}\u0000${surface}`;
  const last = written.get(key);
  if (last !== undefined && now.getTime() - last < LOAD_RECORD_INTERVAL_MS) return;
  written.set(key, now.getTime());
  if (written.size > 10_000) written.delete(written.keys().next().value as string);
  const moved = await db.surfaceUse.updateMany({
    where: { shop, surface, lastLoadedAt: { lt: new Date(now.getTime() - LOAD_RECORD_INTERVAL_MS) } },
    data: { lastLoadedAt: now },
  });
  if (moved.count > 0) return;
  try {
    await db.surfaceUse.create({ data: { shop, surface, firstLoadedAt: now, lastLoadedAt: now } });
  } catch (error) {
    // Already there (recorded within the hour, or by a concurrent request): nothing to do.
    if (!isUniqueViolation(error)) throw error;
  }
}

export async function getSurfaceUse(shop: string, surface: Surface): Promise<SurfaceUseRow | null> {
  return db.surfaceUse.findUnique({
    where: { shop_surface: { shop, surface } },
    select: { firstLoadedAt: true, lastLoadedAt: true },
  });
}

/** Forgets what this process wrote (tests that reset the database). */
export function forgetSurfaceLoads(): void {
  written.clear();
}
