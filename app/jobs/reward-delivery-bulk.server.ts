/**
 * Delivery of a large audience run's codes as bulk mutations (decision 024): the reward metafields
 * (kinship.reward_code, reward_expires_at, reward_offer, reward_reason) of six customers per `metafieldsSet` line
 * (24 of Shopify's 25 entries a call), run by Shopify in shards side by side (within the shop's five); each row
 * whose line succeeded is marked delivered from the result file (by its code, idempotently). Rows whose line failed
 * stay `created` for the per-customer path.
 *
 * No Flow trigger is fired for these rows: `flowTriggerReceive` was believed not to be a bulk mutation (decision
 * 024; since 2026-01 any mutation may run in bulk, see its amendment), and one trigger per customer (10 points) is what kept a 100,000-customer campaign at 2.8 hours. The merchant announces a large
 * campaign to the customers whose `kinship.reward_code` is set (Shopify Email or a Flow workflow on a segment);
 * decision 024 explains the trade-off. Personal rewards and smaller groups keep the per-customer path with Flow.
 */
import { offerText } from "../i18n/rule-texts";
import type { Decision } from "../retention/rewards";
import { REWARD_METAFIELD_KEYS, rewardMetafieldInputs } from "../shopify/customer-metafields.server";
import { METAFIELDS_SET } from "../shopify/queries/metafields";
import { createBulkMutationRun, unfinishedBulkMutationRuns } from "../models/bulk-mutation-runs.server";
import { markDeliveredByCodes, type IssuedRow } from "../models/issued-discounts.server";
import { driveBulkMutationRuns, shardLines, shardSize, type BulkRunDeps, type LineResult } from "./bulk-mutations.server";
import type { IssueContext } from "./reward-issue.server";

/** Smallest number of codes delivered as a bulk mutation (the write-back's threshold, for the same reason). */
export { BULK_DELIVERY_MIN_CODES } from "../retention/rewards/kinds/kind";
const CUSTOMERS_PER_LINE = 6;

export interface BulkDeliveryItem {
  row: IssuedRow;
  decision: Decision;
}

type DeliveryContext = Pick<IssueContext, "shop" | "client" | "now" | "currencyCode" | "shopLocale"> & {
  bulk: Omit<BulkRunDeps, "client">;
  onDelivered: (row: IssuedRow) => void;
};

function codesOfLines(lines: LineResult[]): string[] {
  return lines.flatMap((line) =>
    ((line.variables.metafields as Array<{ key: string; value: string }> | undefined) ?? [])
      .filter((m) => m.key === REWARD_METAFIELD_KEYS.code)
      .map((m) => m.value),
  );
}

/** Codes in delivery runs not yet recorded: they must not be sent again while their run may still land. */
export async function codesInUnfinishedDeliveries(shop: string): Promise<Set<string>> {
  const codes = new Set<string>();
  for (const run of await unfinishedBulkMutationRuns(shop, "rewardDelivery")) {
    const lines = run.variables
      ? run.variables.split("\n").map((text) => ({ variables: JSON.parse(text) as Record<string, unknown> }))
      : [];
    for (const code of codesOfLines(lines as LineResult[])) codes.add(code);
  }
  return codes;
}

/** Finishes delivery runs an earlier process left (crash, restart): their rows are marked from the result. */
export async function resumeBulkDeliveries(ctx: Pick<DeliveryContext, "shop" | "client" | "bulk">): Promise<number> {
  let delivered = 0;
  const runs = await unfinishedBulkMutationRuns(ctx.shop, "rewardDelivery");
  await driveBulkMutationRuns(
    ctx.shop,
    runs.map((run) => run.id),
    { ...ctx.bulk, client: ctx.client },
    async (lines) => {
      delivered += await markDeliveredByCodes(ctx.shop, codesOfLines(lines));
    },
  );
  return delivered;
}

/**
 * Delivers `items` (rows `created`, codes in Shopify) as bulk mutations. Returns the rows left undelivered
 * (their line failed, or their code is already over), for the caller's per-customer path.
 */
export async function deliverInBulk(ctx: DeliveryContext, items: readonly BulkDeliveryItem[]): Promise<BulkDeliveryItem[]> {
  const locale = await ctx.shopLocale();
  const live = items.filter((i) => i.row.code && new Date(i.row.endsAt?.toISOString() ?? i.decision.endsAt).getTime() > ctx.now.getTime());
  const lines: Array<{ metafields: ReturnType<typeof rewardMetafieldInputs> }> = [];
  for (let i = 0; i < live.length; i += CUSTOMERS_PER_LINE) {
    lines.push({
      metafields: live.slice(i, i + CUSTOMERS_PER_LINE).flatMap(({ row, decision }) =>
        rewardMetafieldInputs(row.customerShopifyId, {
          code: row.code!,
          expiresAt: row.endsAt?.toISOString() ?? decision.endsAt,
          offer: offerText(decision.reward, ctx.currencyCode, locale),
          reason: decision.reason,
        }),
      ),
    });
  }
  if (!lines.length) return [...items];
  // Shards of the lines run side by side, within the shop's five bulk mutations (shared with the write-back).
  const runIds: string[] = [];
  for (const shard of shardLines(lines, shardSize(lines.length)))
    runIds.push((await createBulkMutationRun(ctx.shop, { purpose: "rewardDelivery", mutation: METAFIELDS_SET, lines: shard })).id);
  const byCode = new Map(live.map((i) => [i.row.code!, i]));
  const delivered = new Set<string>();
  await driveBulkMutationRuns(ctx.shop, runIds, { ...ctx.bulk, client: ctx.client }, async (ok) => {
    const codes = codesOfLines(ok);
    await markDeliveredByCodes(ctx.shop, codes);
    for (const code of codes) {
      if (delivered.has(code)) continue;
      delivered.add(code);
      const item = byCode.get(code);
      if (item) ctx.onDelivered(item.row);
    }
  });
  return items.filter((i) => !i.row.code || !delivered.has(i.row.code));
}
