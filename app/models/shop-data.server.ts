/**
 * The merchant's own copy of what Kinship stores for their shop (Settings → Export), and deletion of it
 * (Settings → Delete data) while the app stays installed. Access tokens are never exported.
 */
import db from "../db.server";
import { EMPTY_SHOP_SETTINGS, readShopSettings } from "./shop-settings.server";
import { readModelState } from "./model-state.server";

const BATCH = 2_000;

type Row = { id: string } & Record<string, unknown>;
type Reader = (shop: string, afterId: string | null, take: number) => Promise<Row[]>;

const after = (afterId: string | null) => (afterId ? { id: { gt: afterId } } : {});

/** Each exported table, read in id order one batch at a time (a 200,000-customer shop never sits in memory). */
const TABLES: [string, Reader][] = [
  ["customers", (shop, id, take) => db.customer.findMany({ where: { shop, ...after(id) }, orderBy: { id: "asc" }, take })],
  ["orders", (shop, id, take) => db.order.findMany({ where: { shop, ...after(id) }, orderBy: { id: "asc" }, take })],
  ["feedback", (shop, id, take) => db.feedback.findMany({ where: { shop, ...after(id) }, orderBy: { id: "asc" }, take })],
  ["discountRules", (shop, id, take) => db.discountRule.findMany({ where: { shop, ...after(id) }, orderBy: { id: "asc" }, take })],
  ["issuedDiscounts", (shop, id, take) => db.issuedDiscount.findMany({ where: { shop, ...after(id) }, orderBy: { id: "asc" }, take })],
  ["consentRecords", (shop, id, take) => db.consentRecord.findMany({ where: { shop, ...after(id) }, orderBy: { id: "asc" }, take })],
  ["syncRuns", (shop, id, take) => db.syncRun.findMany({ where: { shop, ...after(id) }, orderBy: { id: "asc" }, take })],
];

/** A JSON document `{ exportedAt, shop, customers: [...], orders: [...], ... }`, streamed. */
export function exportShopData(shop: string, now = new Date()): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        const shopRow = await db.shop.findUnique({ where: { shop } });
        const header = {
          format: "kinship-export/1",
          exportedAt: now.toISOString(),
          shop: shopRow && { ...shopRow, settings: readShopSettings(shopRow.settings), modelState: readModelState(shopRow.modelState) },
        };
        controller.enqueue(encoder.encode(JSON.stringify(header).slice(0, -1)));
        for (const [name, read] of TABLES) {
          controller.enqueue(encoder.encode(`,${JSON.stringify(name)}:[`));
          let last: string | null = null;
          let first = true;
          for (;;) {
            const rows = await read(shop, last, BATCH);
            if (rows.length === 0) break;
            const text = rows.map((r) => JSON.stringify(r)).join(",");
            controller.enqueue(encoder.encode(first ? text : `,${text}`));
            first = false;
            last = rows[rows.length - 1].id;
            if (rows.length < BATCH) break;
          }
          controller.enqueue(encoder.encode("]"));
        }
        controller.enqueue(encoder.encode("}\n"));
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
}

export interface DeletedCounts {
  customers: number;
  orders: number;
  feedback: number;
  discountRules: number;
  issuedDiscounts: number;
}

/**
 * Deletes of everything Kinship learned about a shop (shared with shop/redact, which also removes the shop),
 * named so the counts are read by name: a table added to the list cannot shift another's count.
 */
export function shopDataDeletes(shop: string) {
  return {
    issuedDiscounts: db.issuedDiscount.deleteMany({ where: { shop } }),
    sharedDiscounts: db.sharedDiscount.deleteMany({ where: { shop } }),
    bulkMutationRuns: db.bulkMutationRun.deleteMany({ where: { shop } }),
    discountRules: db.discountRule.deleteMany({ where: { shop } }),
    feedback: db.feedback.deleteMany({ where: { shop } }),
    orders: db.order.deleteMany({ where: { shop } }),
    customers: db.customer.deleteMany({ where: { shop } }),
    syncRuns: db.syncRun.deleteMany({ where: { shop } }),
    jobRuns: db.jobRun.deleteMany({ where: { shop } }),
    dataRequests: db.dataRequest.deleteMany({ where: { shop } }),
    customerTiers: db.customerTier.deleteMany({ where: { shop } }),
    consentRecords: db.consentRecord.deleteMany({ where: { shop } }),
    flowTriggerUsage: db.flowTriggerUsage.deleteMany({ where: { shop } }),
    forecastMonths: db.forecastMonth.deleteMany({ where: { shop } }),
    surveyInvites: db.surveyInvite.deleteMany({ where: { shop } }),
    dashboardFigures: db.dashboardFigures.deleteMany({ where: { shop } }),
  } as const;
}

/**
 * Deletes the shop's customers, orders, feedback, rules, issued-code ledger, sync and job history, and
 * resets settings and model. The session and the Shop row stay, so the app keeps working and a new
 * backfill can start from scratch. One transaction: all or nothing.
 */
export async function deleteShopData(shop: string): Promise<DeletedCounts> {
  const deletes = shopDataDeletes(shop);
  const names = Object.keys(deletes) as Array<keyof typeof deletes>;
  const results = await db.$transaction([
    ...Object.values(deletes),
    db.shop.updateMany({ where: { shop }, data: { settings: EMPTY_SHOP_SETTINGS, modelState: null, modelFittedAt: null } }),
  ]);
  const count = (name: keyof typeof deletes) => results[names.indexOf(name)].count;
  return {
    customers: count("customers"),
    orders: count("orders"),
    feedback: count("feedback"),
    discountRules: count("discountRules"),
    issuedDiscounts: count("issuedDiscounts"),
  };
}
