/**
 * The Feedback page's "Did it work?" inputs: low answers (at or below the shop's threshold) received in
 * [since, until] from known customers, in two groups — resolved items, and items nobody ever responded to
 * (open, no note, no compensation) — each with the customer's later orders (test and cancelled ones left
 * out, as everywhere Kinship counts). Guests can't be followed and are left out.
 */
import db from "../../db.server";
import type { FollowUpCase } from "../../retention/feedback/follow-up-effect";
import { orderDatesAfter } from "../orders.server";

export async function listFollowUpEffectInputs(
  shop: string,
  options: { threshold: number; since: Date; until: Date },
): Promise<{ resolved: FollowUpCase[]; unanswered: FollowUpCase[] }> {
  const rows = await db.feedback.findMany({
    where: {
      shop,
      score: { lte: options.threshold },
      createdAt: { gte: options.since, lte: options.until },
      customerShopifyId: { not: null },
      OR: [{ status: "resolved" }, { status: "open", firstResponseAt: null }],
    },
    select: { customerShopifyId: true, createdAt: true, status: true },
  });
  if (rows.length === 0) return { resolved: [], unanswered: [] };
  const earliest = new Date(Math.min(...rows.map((r) => r.createdAt.getTime())));
  const customerIds = [...new Set(rows.map((r) => r.customerShopifyId!))];
  const ordersByCustomer = await orderDatesAfter(shop, customerIds, earliest);
  const resolved: FollowUpCase[] = [];
  const unanswered: FollowUpCase[] = [];
  for (const row of rows) {
    const item = { answeredAt: row.createdAt, orderDates: ordersByCustomer.get(row.customerShopifyId!) ?? [] };
    (row.status === "resolved" ? resolved : unanswered).push(item);
  }
  return { resolved, unanswered };
}
