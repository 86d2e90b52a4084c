/**
 * Keeps the dashboard's stored customer figures (models/views/dashboard-views.server.ts) in step with the
 * customer rows. After an import and after a recompute they are counted before the job ends, so the numbers a
 * merchant sees then are exact. After webhooks that change customers (orders, customers, merges, re-scores,
 * redactions) and the daily run's tier changes, a refresh runs in the background, coalesced per shop: at most one
 * every REFRESH_DELAY_MS while changes keep coming (a page load never waits for it; the dashboard says when its
 * figures were counted).
 */
import { computeDashboardFigures } from "../models/views/dashboard-views.server";
import { coalescedPending, runCoalesced } from "./background.server";

/** How long a change waits for others to join its refresh (seconds of counting on a 200,000-customer shop). */
export const REFRESH_DELAY_MS = 15_000;

const key = (shop: string) => `dashboard figures ${shop}`;

/** Counts and stores the figures now (a failure is logged: the dashboard then shows the previous figures with their time). */
export async function refreshDashboardFigures(shop: string): Promise<void> {
  try {
    await computeDashboardFigures(shop, new Date());
  } catch (error) {
    console.error("dashboard figures refresh failed", shop, error);
  }
}

/** Customers of the shop changed: refresh the figures soon, in the background. */
export function dashboardFiguresChanged(shop: string): void {
  runCoalesced(key(shop), REFRESH_DELAY_MS, () => computeDashboardFigures(shop, new Date()));
}

/** Whether this process has a refresh of the shop's figures waiting or running. */
export function dashboardRefreshPending(shop: string): boolean {
  return coalescedPending(key(shop));
}

/** Figures counted longer ago than this are shown with their time. */
export const FIGURES_FRESH_MS = 60_000;

/**
 * Whether a page shows the stored figures with their time ("Figures as of …"): unless counted within the last
 * minute with no refresh waiting in this process.
 */
export function figuresShownWithTime(shop: string, computedAt: Date, now = Date.now()): boolean {
  return now - computedAt.getTime() > FIGURES_FRESH_MS || dashboardRefreshPending(shop);
}
