/**
 * A rule with a finished holdout experiment: its ledger and its customers' orders written straight to the
 * database, so a results page can be shown in any state (issue #18).
 */
import db from "../../app/db.server";
import { addRule } from "./rules";

const DAY = 86_400_000;
const decided = new Date("2026-06-01T10:00:00Z");

export interface Arm {
  customers: number;
  buyers: number;
}

/** A rule (a draft) whose customers were decided over four weeks from June (windows long over), with these arms. */
export async function ruleWithArms(shop: string, treated: Arm, heldOut: Arm | null, name = "Come back"): Promise<string> {
  const { id } = await addRule(shop, {
    kind: "winback",
    name,
    reward: { type: "percentage", percentage: 10 },
    holdoutShare: 0.5,
  });
  const rows = [];
  const orders = [];
  for (const [kind, arm] of [
    ["issue", treated],
    ["holdout", heldOut],
  ] as const) {
    for (let i = 0; arm && i < arm.customers; i++) {
      const customer = `gid://shopify/Customer/${id}-${kind}-${i}`;
      // Four decision weeks, so the arms-over-time chart has a line to draw.
      const decidedAt = new Date(decided.getTime() + (i % 4) * 7 * DAY);
      const buys = i < arm.buyers;
      const code = kind === "issue" ? `KIN${i}` : null;
      rows.push({
        shop,
        ruleId: id,
        customerShopifyId: customer,
        idempotencyKey: `${id}:${customer}`,
        code,
        shopifyDiscountId: kind === "issue" ? `gid://shopify/DiscountCodeNode/${i}` : null,
        kind,
        status: kind === "issue" ? "delivered" : "recorded",
        startsAt: decidedAt,
        endsAt: new Date(decidedAt.getTime() + 14 * DAY),
        createdAt: decidedAt,
        ...(buys && code ? { redeemedAt: new Date(decidedAt.getTime() + 3 * DAY), redeemedRevenue: 45, redeemedDiscount: 5 } : {}),
      });
      if (buys)
        orders.push({
          shop,
          shopifyId: `gid://shopify/Order/${id}-${kind}-${i}`,
          customerShopifyId: customer,
          processedAt: new Date(decidedAt.getTime() + 3 * DAY),
          totalPrice: 45,
          netTotal: 45,
          currencyCode: "EUR",
          discountCodes: code ?? "",
          totalDiscounts: code ? 5 : 0,
        });
    }
  }
  await db.issuedDiscount.createMany({ data: rows });
  await db.order.createMany({ data: orders });
  return id;
}
