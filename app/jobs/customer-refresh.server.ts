/**
 * The nightly incremental refresh: customers changed in Shopify since the last refresh (birthdays set in
 * the admin, consent and tags), because webhooks carry no metafields and nothing else re-reads customers.
 *
 * A run is a SyncRun of kind "refresh" whose cursor holds its window and page cursor
 * (`{since, until, after}`): each page is written, then the cursor moves past it, so an interrupted run
 * resumes at the page it was on (a page read twice is harmless: snapshots are upserts ordered by
 * updatedAt). The next run's window starts at this one's `until`. The admin client paces each page by
 * Shopify's cost bucket, as it does every call.
 */
import { upsertCustomers } from "../models/customers.server";
import { activeSyncRun, createSyncRun, latestCompletedSyncRun, updateSyncRun } from "../models/sync-runs.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { customersUpdatedPage, updatedBetweenQuery } from "../shopify/customers.server";
import { customerFromNode } from "../sync/customer-records";

export const REFRESH_KIND = "refresh";
/** 100 customers per page: about 400 cost points, well inside every plan's bucket. */
const PAGE_SIZE = 100;
const DAY_MS = 86_400_000;
const OVERLAP_MS = 5 * 60_000;

interface RefreshCursor {
  since: string;
  until: string;
  after: string | null;
}

function readCursor(text: string | null): RefreshCursor | null {
  try {
    const value = JSON.parse(text ?? "") as Partial<RefreshCursor>;
    return typeof value.since === "string" && typeof value.until === "string"
      ? { since: value.since, until: value.until, after: value.after ?? null }
      : null;
  } catch {
    return null;
  }
}

export interface RefreshOptions {
  now?: Date;
  pageSize?: number;
  /** Test seam: called after each page is committed; a throw interrupts the run there. */
  afterPage?: (page: number) => void;
}

export interface RefreshOutcome {
  status: "completed" | "notDue" | "noBaseline";
  customers: number;
  pages: number;
}

/**
 * Runs (or resumes) the refresh. A new one starts only when the last finished more than ~a day ago
 * (`force` skips that check); the first one starts where the last completed backfill began.
 */
export async function refreshCustomers(
  shop: string,
  client: AdminClient,
  options: RefreshOptions & { force?: boolean } = {},
): Promise<RefreshOutcome> {
  const now = options.now ?? new Date();
  let run = await activeSyncRun(shop, REFRESH_KIND);
  let cursor = run ? readCursor(run.cursor) : null;
  if (!run || !cursor) {
    const last = await latestCompletedSyncRun(shop, REFRESH_KIND);
    const lastUntil = readCursor(last?.cursor ?? null)?.until;
    // Ticks are hourly: "a day" allows an hour of slack so the refresh keeps its nightly slot.
    if (lastUntil && !options.force && now.getTime() - Date.parse(lastUntil) < DAY_MS - 60 * 60_000)
      return { status: "notDue", customers: 0, pages: 0 };
    const baseline = lastUntil ?? (await latestCompletedSyncRun(shop, "backfill"))?.startedAt.toISOString();
    if (!baseline) return { status: "noBaseline", customers: 0, pages: 0 };
    if (run) await updateSyncRun(shop, run.id, { status: "failed", error: "unreadable refresh cursor", finishedAt: now });
    cursor = { since: baseline, until: now.toISOString(), after: null };
    run = await createSyncRun(shop, REFRESH_KIND);
    await updateSyncRun(shop, run.id, { cursor: JSON.stringify(cursor) });
  }
  // Shopify's updatedAt has whole seconds and a write can land just as a window closes: windows overlap
  // by a few minutes (reading a customer twice is harmless, missing one is not).
  const query = updatedBetweenQuery(new Date(Date.parse(cursor.since) - OVERLAP_MS), new Date(cursor.until));
  let customers = run.customersCount;
  let pages = 0;
  for (;;) {
    const page = await customersUpdatedPage(client, query, cursor.after, options.pageSize ?? PAGE_SIZE);
    await upsertCustomers(shop, page.nodes.map(customerFromNode));
    customers += page.nodes.length;
    pages++;
    cursor = { ...cursor, after: page.pageInfo.endCursor ?? cursor.after };
    const done = !page.pageInfo.hasNextPage;
    await updateSyncRun(shop, run.id, {
      cursor: JSON.stringify(cursor),
      customersCount: customers,
      processedCount: customers,
      ...(done ? { status: "completed", finishedAt: new Date(), error: null } : {}),
    });
    if (done) return { status: "completed", customers, pages };
    options.afterPage?.(pages);
  }
}
