/**
 * One discount per reward code, usable once by exactly one customer. The caller records the code
 * before calling `createRewardDiscount`, so a crash at any point is resolved by `findDiscountByCode`.
 */
import type { CombinesWith, Reward } from "../retention/rewards";
import { ShopifyUserErrors, type AdminClient } from "./admin-client.server";
import {
  CODE_DISCOUNT_NODE_BY_CODE,
  DISCOUNT_CODE_BASIC_CREATE,
  DISCOUNT_CODE_DEACTIVATE,
  DISCOUNT_CODE_FREE_SHIPPING_CREATE,
  type CodeDiscountLookup,
  type DiscountCreateResult,
} from "./queries/discounts";

export interface RewardDiscountSpec {
  code: string;
  /** Shown in the merchant's discount list, e.g. "Kinship · Birthday · 2026". */
  title: string;
  customerId: string;
  /** ISO instants. */
  startsAt: string;
  endsAt: string;
  reward: Reward;
  minimumSubtotal: number | null;
  /** The discount classes the code may be used with (Shopify's default is none). */
  combinesWith: CombinesWith;
  /**
   * An audience reward's shared discount (docs/decisions/021): more codes and customers are added to it
   * later, so it has no total usage limit; each customer still uses it once.
   */
  shared?: boolean;
}

/** Shopify wants a 0–1 fraction; Kinship stores percent. Rounded so 15 → 0.15, not 0.15000000000000002. */
export function percentageFraction(percent: number): number {
  return Math.round(percent * 1e6) / 1e8;
}

function decimal(amount: number): string {
  return amount.toFixed(2);
}

/** Fields shared by the basic and the free-shipping input. */
function commonInput(spec: RewardDiscountSpec) {
  return {
    title: spec.title,
    code: spec.code,
    startsAt: spec.startsAt,
    endsAt: spec.endsAt,
    usageLimit: spec.shared ? null : 1,
    appliesOncePerCustomer: true,
    combinesWith: { ...spec.combinesWith },
    context: { customers: { add: [spec.customerId] } },
    ...(spec.minimumSubtotal && spec.minimumSubtotal > 0
      ? { minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: decimal(spec.minimumSubtotal) } } }
      : {}),
    tags: ["kinship"],
  };
}

/** The mutation, its input variable and payload key for one reward. Pure, so it is unit-tested. */
export function discountCreateRequest(spec: RewardDiscountSpec): {
  document: string;
  variables: Record<string, unknown>;
  payloadKey: "discountCodeBasicCreate" | "discountCodeFreeShippingCreate";
} {
  const reward = spec.reward;
  if (reward.type === "storeCredit") throw new Error("Store credit is not a discount code (see store-credit.server.ts)");
  if (reward.type === "freeShipping") {
    return {
      document: DISCOUNT_CODE_FREE_SHIPPING_CREATE,
      variables: { freeShippingCodeDiscount: { ...commonInput(spec), destination: { all: true } } },
      payloadKey: "discountCodeFreeShippingCreate",
    };
  }
  const value =
    reward.type === "percentage"
      ? { percentage: percentageFraction(reward.percentage) }
      : { discountAmount: { amount: decimal(reward.amount), appliesOnEachItem: false } };
  return {
    document: DISCOUNT_CODE_BASIC_CREATE,
    variables: {
      basicCodeDiscount: {
        ...commonInput(spec),
        customerGets: { value, items: { all: true } },
      },
    },
    payloadKey: "discountCodeBasicCreate",
  };
}

export interface ShopifyRewardDiscount {
  id: string;
  title: string;
  status: string;
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  usageCount: number;
  appliesOncePerCustomer: boolean;
  customerIds: string[];
  combinesWith: CombinesWith | null;
  /** Percent (15 for 15%), fixed amount, or free shipping; null for other discount kinds. */
  reward: Reward | null;
  minimumSubtotal: number | null;
}

export async function findDiscountByCode(client: AdminClient, code: string): Promise<ShopifyRewardDiscount | null> {
  const data = await client.request<CodeDiscountLookup>(CODE_DISCOUNT_NODE_BY_CODE, { code });
  const node = data.codeDiscountNodeByCode;
  if (!node) return null;
  const d = node.codeDiscount;
  if (d.__typename !== "DiscountCodeBasic" && d.__typename !== "DiscountCodeFreeShipping") {
    return {
      id: node.id,
      title: "",
      status: "",
      startsAt: "",
      endsAt: null,
      usageLimit: null,
      usageCount: 0,
      appliesOncePerCustomer: false,
      customerIds: [],
      combinesWith: null,
      reward: null,
      minimumSubtotal: null,
    };
  }
  let reward: Reward | null = null;
  if (d.__typename === "DiscountCodeFreeShipping") reward = { type: "freeShipping" };
  else if (d.customerGets?.value.__typename === "DiscountPercentage")
    reward = { type: "percentage", percentage: Math.round((d.customerGets.value.percentage ?? 0) * 1e8) / 1e6 };
  else if (d.customerGets?.value.__typename === "DiscountAmount")
    reward = { type: "fixedAmount", amount: Number(d.customerGets.value.amount?.amount) };
  const subtotal = d.minimumRequirement?.greaterThanOrEqualToSubtotal?.amount;
  return {
    id: node.id,
    title: d.title,
    status: d.status,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    usageLimit: d.usageLimit,
    usageCount: d.asyncUsageCount,
    appliesOncePerCustomer: d.appliesOncePerCustomer,
    customerIds: d.context.customers?.map((c) => c.id) ?? [],
    combinesWith: d.combinesWith
      ? {
          orderDiscounts: d.combinesWith.orderDiscounts,
          productDiscounts: d.combinesWith.productDiscounts,
          shippingDiscounts: d.combinesWith.shippingDiscounts,
        }
      : null,
    reward,
    minimumSubtotal: subtotal === undefined ? null : Number(subtotal),
  };
}

/** A Shopify answer saying the code already exists in the shop. */
export function isCodeTaken(error: unknown): boolean {
  return (
    error instanceof ShopifyUserErrors &&
    error.userErrors.some((e) => e.code === "TAKEN" || /taken|already exists|must be unique/i.test(e.message))
  );
}

export type CreateOutcome = { id: string; adopted: boolean };

/**
 * Shopify answered the create with neither a discount nor a userError (the schema allows it). Resending
 * the same input would get the same answer, so it is a refusal of this one reward: the row is recorded
 * as failed with this message (shown on the rule page), not retried every day until it expires.
 */
export class DiscountNotReturnedError extends ShopifyUserErrors {
  constructor(operation: string, code: string) {
    super(operation, [{ field: null, message: `Shopify returned no discount for code ${code} and gave no reason` }]);
    this.name = "DiscountNotReturnedError";
  }
}

/**
 * Creates the discount; if Shopify says the code is taken and the existing discount is this
 * customer's (an earlier attempt whose answer was lost), adopts it instead of failing.
 */
export async function createRewardDiscount(client: AdminClient, spec: RewardDiscountSpec): Promise<CreateOutcome> {
  const { document, variables, payloadKey } = discountCreateRequest(spec);
  let id: string | undefined;
  try {
    const data = await client.mutate<Record<string, DiscountCreateResult>>(document, variables, payloadKey);
    id = data[payloadKey]?.codeDiscountNode?.id;
  } catch (error) {
    if (!isCodeTaken(error)) throw error;
    const existing = await findDiscountByCode(client, spec.code);
    if (existing && existing.customerIds.includes(spec.customerId)) return { id: existing.id, adopted: true };
    throw error;
  }
  if (id) return { id, adopted: false };
  // No discount and no reason: if the code exists anyway (created, answer lost), it is this reward's.
  const existing = await findDiscountByCode(client, spec.code);
  if (existing && existing.customerIds.includes(spec.customerId)) return { id: existing.id, adopted: true };
  throw new DiscountNotReturnedError(payloadKey, spec.code);
}

export async function deactivateDiscount(client: AdminClient, id: string): Promise<void> {
  await client.mutate(DISCOUNT_CODE_DEACTIVATE, { id }, "discountCodeDeactivate");
}
