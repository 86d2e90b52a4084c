import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SerializeFrom } from "@remix-run/node";
import db from "../../../../app/db.server";
import { importBulkFile } from "../../../../app/jobs/backfill.server";
import { settled } from "../../../../app/jobs/background.server";
import { dashboardRefreshPending } from "../../../../app/jobs/dashboard-figures.server";
import { recomputeShop } from "../../../../app/jobs/recompute.server";
import { createSyncRun } from "../../../../app/models/sync-runs.server";
import { computeDashboardFigures, lifecycleCounts, segmentFigures } from "../../../../app/models/views/dashboard-views.server";
import { rfmGrid } from "../../../../app/models/views/segment-views.server";
import { loader as segmentsLoader } from "../../../../app/routes/app.segments";
import { action as webhookAction } from "../../../../app/routes/webhooks";
import type { Emulator } from "../../../emulator/server";
import { appRequest, call } from "../../../support/admin-routes";
import { startEmulatedShopify, stopEmulatedShopify } from "../../../support/emulated-shopify";
import { backfillJsonl } from "../../../support/emulator-helpers";
import { resetDatabase } from "../../../support/fixtures";
import { installShop } from "../../../support/sync-helpers";
import { webhookRequest } from "../../../support/webhook-request";

// Issue 23 item 3: a Segments load counted the RFM grid and the lifecycle groups from the shop's customers (two
// group-bys over 200,000 rows). Both are stored with the dashboard's figures now (decision 028): the grid must equal a
// recount wherever the figures are refreshed, a load must read it as stored, and figures stored before the grid was
// kept must still give the page its grid.
const SHOP = "segment-figures.myshopify.com";
let emulator: Emulator;

beforeAll(async () => {
  await resetDatabase();
  emulator = await startEmulatedShopify({
    shops: [{ domain: SHOP, size: "tiny", seed: 2324, currency: "EUR", timeZone: "Europe/Zagreb" }],
  });
});
afterAll(async () => {
  await settled();
  await stopEmulatedShopify(emulator);
});

const page = async (locale = "en") =>
  (await call<SerializeFrom<typeof segmentsLoader>>(segmentsLoader, await appRequest(SHOP, `/app/segments?locale=${locale}`))).body;
const storedRow = () => db.dashboardFigures.findUniqueOrThrow({ where: { shop: SHOP } });
const storedCells = async () => (JSON.parse((await storedRow()).figures) as { rfm?: unknown }).rfm;
/** The page's cell counts (formatted "1,234" → 1234), cells[r - 1][f - 1]. */
const pageCounts = (body: SerializeFrom<typeof segmentsLoader>) =>
  body.cells.map((row) => row.map((cell) => Number(cell.customers.replace(/\D/g, ""))));
const gridCounts = (grid: Awaited<ReturnType<typeof rfmGrid>>) => grid.cells.map((row) => row.map((cell) => cell.customers));

describe("the Segments page's stored figures", () => {
  it("store the RFM grid when an import and a recompute end, equal to a recount", async () => {
    await installShop(emulator, SHOP);
    const jsonl = await backfillJsonl(emulator, SHOP);
    await importBulkFile(SHOP, (await createSyncRun(SHOP, "backfill")).id, "https://bulk.example/backfill.jsonl", {
      batchSize: 50,
      fetchImpl: (async () => new Response(jsonl)) as typeof fetch,
    });
    // The grid is stored with the figures the import counted.
    expect(Array.isArray(await storedCells())).toBe(true);
    expect((await segmentFigures(SHOP)).grid).toEqual(await rfmGrid(SHOP));

    await recomputeShop(SHOP, new Date());
    const { grid, lifecycle } = await segmentFigures(SHOP);
    expect(grid).toEqual(await rfmGrid(SHOP));
    expect(lifecycle).toEqual(await lifecycleCounts(SHOP));
    expect(grid.scored).toBeGreaterThan(10);
    expect(grid.scored).toBe(await db.customer.count({ where: { shop: SHOP, rfmRecency: { not: null }, rfmFrequency: { not: null } } }));
    const body = await page();
    expect(body.scored).toBe(grid.scored);
    expect(pageCounts(body)).toEqual(gridCounts(grid));
    // Just counted, no refresh waiting: no "as of" line.
    expect(body.figuresAsOf).toBeNull();
  });

  it("are read as stored by a load: rows changed underneath do not show until a refresh counts them", async () => {
    const before = await page();
    const gone = await db.customer.findMany({ where: { shop: SHOP, rfmRecency: { not: null } }, select: { id: true }, take: 3 });
    await db.customer.deleteMany({ where: { id: { in: gone.map((c) => c.id) } } });
    const after = await page();
    expect(after.scored).toBe(before.scored);
    expect(after.cells).toEqual(before.cells);
    expect(after.groups).toEqual(before.groups);
    expect((await rfmGrid(SHOP)).scored).toBe(before.scored - 3);
    await computeDashboardFigures(SHOP, new Date());
    const refreshed = await page();
    expect(refreshed.scored).toBe(before.scored - 3);
    expect(pageCounts(refreshed)).toEqual(gridCounts(await rfmGrid(SHOP)));
  });

  it("after an order webhook re-scores a customer, equal a recount once the background refresh has run", async () => {
    const customer = await db.customer.findFirstOrThrow({
      where: { shop: SHOP, rfmRecency: { not: null }, rfmFrequency: { not: null } },
      orderBy: { id: "asc" },
    });
    const cell = (grid: Awaited<ReturnType<typeof rfmGrid>>) => grid.cells[customer.rfmRecency! - 1][customer.rfmFrequency! - 1];
    const before = await segmentFigures(SHOP);
    const now = new Date().toISOString();
    const order = {
      id: 7_240_001,
      name: "#7240001",
      created_at: now,
      updated_at: now,
      processed_at: now,
      total_price: "250.00",
      currency: "EUR",
      customer: { id: Number(customer.shopifyId.split("/").pop()), updated_at: now, email: customer.email },
    };
    const response = await webhookAction({ request: webhookRequest(SHOP, "orders/create", order), params: {}, context: {} });
    expect(response.status).toBe(200);
    // Answered without counting: the page shows the stored grid, said with its time while a refresh is due.
    expect(cell((await segmentFigures(SHOP)).grid).revenue).toBe(cell(before.grid).revenue);
    expect(dashboardRefreshPending(SHOP)).toBe(true);
    expect((await page()).figuresAsOf).toMatch(/^Figures as of .*\d/);

    await settled();
    expect(dashboardRefreshPending(SHOP)).toBe(false);
    const after = await segmentFigures(SHOP);
    expect(after.grid).toEqual(await rfmGrid(SHOP));
    expect(after.lifecycle).toEqual(await lifecycleCounts(SHOP));
    expect(cell(after.grid).revenue).toBeCloseTo(cell(before.grid).revenue + 250, 2);
    expect(after.figuresAsOf.getTime()).toBeGreaterThan(before.figuresAsOf.getTime());
    // Counted an hour ago: said with its time, in the merchant's language.
    await db.dashboardFigures.update({ where: { shop: SHOP }, data: { computedAt: new Date(Date.now() - 3_600_000) } });
    expect((await page("uk-UA")).figuresAsOf).toMatch(/^Дані станом на .*\d/);
  });

  it("stored before the grid was kept (a row without it): the grid is counted on load", async () => {
    await computeDashboardFigures(SHOP, new Date());
    const row = await storedRow();
    const { rfm: _grid, ...older } = JSON.parse(row.figures) as Record<string, unknown>;
    await db.dashboardFigures.update({ where: { shop: SHOP }, data: { figures: JSON.stringify(older) } });
    expect(await storedCells()).toBeUndefined();
    // Counted, not stored: a customer removed underneath shows at once; the stored groups stay as stored.
    const groupsBefore = (await page()).groups;
    const gone = await db.customer.findFirstOrThrow({ where: { shop: SHOP, rfmRecency: { not: null } }, select: { id: true } });
    await db.customer.delete({ where: { id: gone.id } });
    const live = await rfmGrid(SHOP);
    expect((await segmentFigures(SHOP)).grid).toEqual(live);
    const body = await page();
    expect(body.scored).toBe(live.scored);
    expect(pageCounts(body)).toEqual(gridCounts(live));
    expect(body.groups).toEqual(groupsBefore);
    // The next refresh stores the grid again.
    await computeDashboardFigures(SHOP, new Date());
    expect(Array.isArray(await storedCells())).toBe(true);
  });
});
