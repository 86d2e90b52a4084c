/**
 * The one path every reward code takes, whichever surface grants it (the daily run, the thank-you
 * after a feedback submission, the merchant's compensation for a follow-up):
 *
 *   record (unique idempotency key, code included) → create in Shopify → deliver (metafields + Flow)
 *
 * Store credit takes the same path: the row is recorded (its code is the ledger's reference), the
 * credit is made in Shopify, which announces it itself, so the row is delivered once the credit exists.
 *
 * A row is written before Shopify is called. A row found still `recorded` later (the process died,
 * Shopify was unreachable, an answer was lost) is looked up in Shopify by its code and adopted, or
 * created if absent, never both; one whose validity has already ended is expired instead of created.
 * Just before Shopify is asked, the row is claimed (`attemptedAt`); a row the merchant cancelled
 * meanwhile is left alone, so a cancelled code never reaches Shopify.
 * The thank-you shown after a survey answer stops after creation and leaves delivery to the daily run; the
 * merchant's compensation is delivered at once, in the request that chose it.
 */
import { resolveLocale, type Locale } from "../i18n";
import { offerText } from "../i18n/rule-texts";
import { buildFlowPayload, generateDiscountCode, type Decision, type RandomBytes } from "../retention/rewards";
import { ShopifyUserErrors, type AdminClient } from "../shopify/admin-client.server";
import { writeRewardMetafields } from "../shopify/customer-metafields.server";
import { createRewardDiscount, findDiscountByCode } from "../shopify/discounts.server";
import { fireRewardTrigger, FlowPayloadError } from "../shopify/flow.server";
import { creditStoreCredit, findStoreCredits, type StoreCreditGrant } from "../shopify/store-credit.server";
import { shopPrimaryLocale } from "../shopify/shop-locale.server";
import {
  claimForCreation,
  claimForDelivery,
  releaseDeliveryClaim,
  findByKeys,
  heldShopifyIds,
  markCreated,
  markDelivered,
  markExpired,
  markFailed,
  noteError,
  recordDecisions,
  type IssuedRow,
} from "../models/issued-discounts.server";
import { getIssuancePause } from "../models/shop-settings.server";

export type IssueStep = "create" | "adopt" | "deliver" | "expire" | "fail";

export interface IssueContext {
  shop: string;
  client: AdminClient;
  now: Date;
  currencyCode: string;
  /** The shop's language, for the offer text customers read (looked up once, when first needed). */
  shopLocale: () => Promise<Locale>;
  /** Told about every step a row takes (the daily run counts and logs them). */
  onStep?: (step: IssueStep, row: IssuedRow, detail?: string) => void;
  /** Told when a Flow trigger was fired. */
  onFlowTrigger?: () => void;
}

/** The shop's language, asked of Shopify once per caller and remembered (a failed lookup is asked again). */
export function shopLocaleOnce(client: AdminClient): () => Promise<Locale> {
  let known: Promise<Locale> | null = null;
  return () => {
    known ??= shopPrimaryLocale(client).then(resolveLocale, (error: unknown) => {
      known = null;
      throw error;
    });
    return known;
  };
}

/** The title merchants see on the discount in Shopify. */
export function discountTitle(ruleName: string, decision: Pick<Decision, "reason" | "customerId">): string {
  return `Kinship · ${ruleName} · ${decision.reason} · ${decision.customerId.replace(/^gid:\/\/shopify\/Customer\//, "customer ")}`.slice(
    0,
    255,
  );
}

/** Shopify refused this one row (invalid input, unknown customer…): retrying won't help. */
export function isRefusal(error: unknown): boolean {
  return error instanceof ShopifyUserErrors || error instanceof FlowPayloadError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isOver(endsAt: string, now: Date): boolean {
  return new Date(endsAt).getTime() <= now.getTime();
}

/** Writes the code to the customer's metafields and, when the decision says so, fires the Flow trigger. */
export async function deliverCode(ctx: IssueContext, ruleName: string, decision: Decision, code: string): Promise<void> {
  const offer = offerText(decision.reward, ctx.currencyCode, await ctx.shopLocale());
  await writeRewardMetafields(ctx.client, decision.customerId, { code, expiresAt: decision.endsAt, offer, reason: decision.reason });
  if (decision.notify) {
    await fireRewardTrigger(ctx.client, buildFlowPayload(decision, code, { ruleName, currencyCode: ctx.currencyCode, offer }));
    ctx.onFlowTrigger?.();
  }
}

/** Allowed difference between our clock and Shopify's when matching a credit to the row recorded before it. */
const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * A store-credit row: adopt the matching credit no other row holds (an earlier answer was lost), or
 * credit now. Shopify emails the customer (`notify`), so the row is delivered as soon as the credit exists.
 */
async function advanceCredit(ctx: IssueContext, row: IssuedRow, decision: Decision, fresh: boolean, endsAt: string): Promise<void> {
  if (decision.reward.type !== "storeCredit") throw new Error(`Row ${row.id} is not a store-credit reward`);
  if (row.status === "recorded") {
    const grant: StoreCreditGrant = {
      customerId: row.customerShopifyId,
      amount: decision.reward.amount,
      currencyCode: ctx.currencyCode,
      expiresAt: endsAt,
    };
    const matches = fresh ? [] : await findStoreCredits(ctx.client, grant, new Date(row.createdAt.getTime() - CLOCK_SKEW_MS));
    const held = await heldShopifyIds(ctx.shop, matches);
    const existing = matches.find((id) => !held.has(id));
    if (existing) {
      await markCreated(ctx.shop, row.id, existing);
      ctx.onStep?.("adopt", row, existing);
    } else if (isOver(endsAt, ctx.now)) {
      await markExpired(ctx.shop, row.id);
      ctx.onStep?.("expire", row);
      return;
    } else {
      const id = await creditStoreCredit(ctx.client, grant);
      await markCreated(ctx.shop, row.id, id);
      ctx.onStep?.("create", row, id);
    }
  }
  await markDelivered(ctx.shop, row.id);
  ctx.onStep?.("deliver", row);
}

/**
 * Brings an issue row from `recorded` to `created` and, with `deliver`, on to `delivered`.
 * `fresh`: recorded by this caller just now, so Shopify can't have the code yet. A row recorded
 * earlier keeps the validity it was recorded with. Errors are thrown (see `settle`).
 */
/** A delivery claimed this long ago by a caller that never finished is taken to have died with its process. */
export const DELIVERY_CLAIM_STALE_MS = 60_000;

export async function advanceIssue(
  ctx: IssueContext,
  row: IssuedRow,
  decision: Decision,
  ruleName: string,
  /** `claimDelivery`: callers outside the daily run's lease (requests) claim a `created` row before delivering it. */
  options: { fresh: boolean; deliver: boolean; claimDelivery?: boolean },
): Promise<void> {
  const code = row.code;
  if (!code) {
    await markFailed(ctx.shop, row.id, "No code was recorded");
    ctx.onStep?.("fail", row, "no code");
    return;
  }
  const startsAt = row.startsAt?.toISOString() ?? decision.startsAt;
  const endsAt = row.endsAt?.toISOString() ?? decision.endsAt;
  if (decision.reward.type === "storeCredit") return advanceCredit(ctx, row, decision, options.fresh, endsAt);
  let status = row.status;
  if (status === "recorded") {
    // Cancelled (Cancel queued, the rule turned off) or finished by another caller since it was read.
    // A request (outside the daily run's lease) claims exclusively, its own fresh row included: a double click's
    // second request can find the first one's row recorded and claim it before the first does, and then only one
    // of them may create and deliver it. Someone else's claim is waited out until it is stale.
    const exclusive = options.claimDelivery ? new Date(ctx.now.getTime() - DELIVERY_CLAIM_STALE_MS) : undefined;
    if (!(await claimForCreation(ctx.shop, row.id, ctx.now, exclusive))) return;
    const existing = options.fresh ? null : await findDiscountByCode(ctx.client, code);
    if (existing && !existing.customerIds.includes(row.customerShopifyId)) {
      await markFailed(ctx.shop, row.id, `Code ${code} belongs to another discount (${existing.id})`);
      ctx.onStep?.("fail", row, "code collision");
      return;
    }
    if (existing) {
      await markCreated(ctx.shop, row.id, existing.id);
      ctx.onStep?.("adopt", row, existing.id);
    } else if (isOver(endsAt, ctx.now)) {
      // Too late to be useful: never create a code that is already over.
      await markExpired(ctx.shop, row.id);
      ctx.onStep?.("expire", row);
      return;
    } else {
      const outcome = await createRewardDiscount(ctx.client, {
        code,
        title: discountTitle(ruleName, decision),
        customerId: row.customerShopifyId,
        startsAt,
        endsAt,
        reward: decision.reward,
        minimumSubtotal: decision.minimumSubtotal,
        combinesWith: decision.combinesWith,
      });
      await markCreated(ctx.shop, row.id, outcome.id);
      ctx.onStep?.(outcome.adopted ? "adopt" : "create", row, outcome.id);
    }
    status = "created";
  }
  if (status === "created" && options.deliver) {
    if (isOver(endsAt, ctx.now)) return;
    // Created by this call: its creation claim covers the delivery. Otherwise two requests (a double
    // click) must not both deliver: the first to claim does.
    const claimed = row.status === "created" && options.claimDelivery;
    if (claimed && !(await claimForDelivery(ctx.shop, row.id, ctx.now, new Date(ctx.now.getTime() - DELIVERY_CLAIM_STALE_MS)))) return;
    try {
      await deliverCode(ctx, ruleName, decision, code);
    } catch (error) {
      if (options.claimDelivery) await releaseDeliveryClaim(ctx.shop, row.id);
      throw error;
    }
    await markDelivered(ctx.shop, row.id);
    ctx.onStep?.("deliver", row);
  }
}

export type SettleOutcome = { status: "done" | "refused" } | { status: "retryLater"; error: unknown };

/**
 * Runs one row's step and files its error: a refusal fails the row (or notes it, when the code
 * already exists in Shopify); anything else (network, auth, 5xx) leaves the row as it is, with the
 * error noted, for the next run.
 */
export async function settle(
  ctx: Pick<IssueContext, "shop" | "onStep">,
  row: IssuedRow,
  step: () => Promise<void>,
): Promise<SettleOutcome> {
  try {
    await step();
    return { status: "done" };
  } catch (error) {
    const message = errorMessage(error);
    if (isRefusal(error)) {
      const current = (await findByKeys(ctx.shop, [row.idempotencyKey])).get(row.idempotencyKey);
      if (current?.status === "created") await noteError(ctx.shop, row.id, message);
      else await markFailed(ctx.shop, row.id, message);
      ctx.onStep?.("fail", row, message);
      return { status: "refused" };
    }
    await noteError(ctx.shop, row.id, message);
    return { status: "retryLater", error };
  }
}

/**
 * Records one decision (or finds the row someone recorded first) and, for an issue still `recorded`,
 * creates it in Shopify now (unless the shop's issuance is paused). With `deliver` (the merchant's
 * compensation: the customer hears of it at once) it goes on to deliver it, also for a row an earlier
 * attempt left `created`; otherwise delivery is left to the daily run. Returns the row as stored afterwards.
 */
export async function recordAndCreate(
  shop: string,
  decision: Decision,
  ruleName: string,
  now: Date,
  deps: { client: (shop: string) => Promise<AdminClient>; randomBytes: RandomBytes; currencyCode: string },
  options: { deliver?: boolean } = {},
): Promise<IssuedRow> {
  const deliver = options.deliver ?? false;
  const offered = decision.kind === "issue" ? generateDiscountCode(deps.randomBytes) : null;
  const recorded = (await recordDecisions(shop, [{ decision, code: offered }], now)).get(decision.idempotencyKey);
  if (!recorded) throw new Error(`Ledger row ${decision.idempotencyKey} was not recorded`);
  const unfinished = recorded.status === "recorded" || (deliver && recorded.status === "created");
  if (recorded.kind !== "issue" || !unfinished || !recorded.code) return recorded;
  // Pause all: the code stays queued; the first run after Resume creates it (or Cancel queued drops it).
  if ((await getIssuancePause(shop)).paused) return recorded;

  // Our own fresh row can't be in Shopify yet; anyone else's may be (an earlier answer was lost).
  const fresh = recorded.status === "recorded" && recorded.code === offered;
  await settle({ shop }, recorded, async () => {
    const client = await deps.client(shop);
    await advanceIssue(
      { shop, client, now, currencyCode: deps.currencyCode, shopLocale: shopLocaleOnce(client) },
      recorded,
      decision,
      ruleName,
      { fresh, deliver, claimDelivery: deliver },
    );
  });
  return (await findByKeys(shop, [decision.idempotencyKey])).get(decision.idempotencyKey) ?? recorded;
}
