import { syncView, type SyncView } from "../models/views/dashboard-views.server";
import { startBackfill } from "../jobs/backfill.server";
import { adminClientForShop } from "../jobs/admin-for-shop.server";
import { translate, type Locale } from "../i18n";
import type { ShopFormatter } from "../formatting";

/** The latest backfill as the page shows it (formatted on the server). */
export interface SyncStatusProps {
  status: string;
  active: boolean;
  /** 0–100, or null while Shopify has not said how many rows are coming. */
  percent: number | null;
  processed: string;
  expected: string | null;
  startedAt: string;
  finishedAt: string | null;
  customers: string;
  orders: string;
  error: string | null;
  nextRetryAt: string | null;
}

export interface BackfillActionData {
  intent: "backfill";
  ok: boolean;
  message: string;
}

export function syncStatusProps(sync: SyncView | null, format: ShopFormatter): SyncStatusProps | null {
  if (!sync) return null;
  return {
    status: sync.status,
    active: sync.active,
    percent: sync.progress === null ? null : Math.round(sync.progress * 1000) / 10,
    processed: format.number(sync.processedCount),
    expected: sync.expectedCount === null ? null : format.number(sync.expectedCount),
    startedAt: format.dateTime(sync.startedAt),
    finishedAt: sync.finishedAt ? format.dateTime(sync.finishedAt) : null,
    customers: format.number(sync.customersCount),
    orders: format.number(sync.ordersCount),
    error: sync.error,
    nextRetryAt: sync.nextRetryAt ? format.dateTime(sync.nextRetryAt) : null,
  };
}

export async function loadSyncStatus(shop: string, format: ShopFormatter) {
  return syncStatusProps(await syncView(shop), format);
}

/** The "Run backfill" action shared by the dashboard and Settings. One backfill runs per shop at a time. */
export async function runBackfillAction(shop: string, locale: Locale): Promise<BackfillActionData> {
  try {
    const run = await startBackfill(shop, await adminClientForShop(shop));
    if (run.status === "failed") {
      return { intent: "backfill", ok: false, message: run.error ?? translate(locale, "sync.startFailed") };
    }
    return { intent: "backfill", ok: true, message: translate(locale, "sync.started") };
  } catch (error) {
    // Shopify unreachable, session missing…: say so on the page instead of an error screen.
    console.error("backfill could not start", shop, error);
    return { intent: "backfill", ok: false, message: translate(locale, "sync.startFailedRetry") };
  }
}
