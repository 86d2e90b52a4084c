import { z } from "zod";
import { money, type OrderRecord } from "./records";

/**
 * Schemas for the REST-shaped webhook payloads Kinship reads (API 2026-04), and their mapping to
 * Kinship's records. A payload is parsed here before anything is written; a field it does not carry
 * is absent from what the mapping returns, so a write never touches a column the payload lacks.
 */

const restId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, "not a numeric id")]);
const gidOf = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`), `not a ${type} id`);
const date = z.string().superRefine((value, ctx) => {
  if (Number.isNaN(Date.parse(value))) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a date (${JSON.stringify(value)})` });
});
const amount = z.union([z.string(), z.number()]).superRefine((value, ctx) => {
  if (value !== "" && !Number.isFinite(typeof value === "number" ? value : Number(value))) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a money amount (${JSON.stringify(value)})` });
  }
});

/** The customer fields of customers/create, customers/update and the customer inside an order. */
export const customerWebhookSchema = z.object({
  id: restId,
  admin_graphql_api_id: gidOf("Customer").optional(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  updated_at: date.nullish(),
});
export type CustomerWebhookPayload = z.infer<typeof customerWebhookSchema>;

/** orders/create, orders/updated, orders/cancelled: exactly what `orderFromWebhook` reads (and include_fields asks for). */
export const orderWebhookSchema = z.object({
  id: restId,
  admin_graphql_api_id: gidOf("Order").optional(),
  name: z.string().nullish(),
  processed_at: date.nullish(),
  created_at: date,
  updated_at: date.nullish(),
  cancelled_at: date.nullish(),
  test: z.boolean().optional(),
  currency: z.string().optional(),
  total_price: amount.optional(),
  total_price_set: z
    .object({
      shop_money: z.object({ amount, currency_code: z.string() }).optional(),
      presentment_money: z.object({ amount }).optional(),
    })
    .optional(),
  refunds: z
    .array(z.object({ transactions: z.array(z.object({ amount, kind: z.string().optional(), status: z.string().optional() })).optional() }))
    .optional(),
  discount_codes: z.array(z.object({ code: z.string() })).optional(),
  total_discounts: amount.optional(),
  total_discounts_set: z.object({ shop_money: z.object({ amount }).optional() }).optional(),
  customer: customerWebhookSchema.nullish(),
});
export type OrderWebhookPayload = z.infer<typeof orderWebhookSchema>;

/**
 * The fields `orderFromWebhook` reads, as `include_fields` paths for shopify.app.toml (a test keeps
 * the two equal).
 */
export const ORDER_INCLUDE_FIELDS = [
  "id",
  "admin_graphql_api_id",
  "name",
  "processed_at",
  "created_at",
  "updated_at",
  "cancelled_at",
  "test",
  "currency",
  "total_price",
  "total_price_set.shop_money.amount",
  "total_price_set.shop_money.currency_code",
  "total_price_set.presentment_money.amount",
  "refunds.transactions.amount",
  "refunds.transactions.kind",
  "refunds.transactions.status",
  "discount_codes.code",
  "total_discounts",
  "total_discounts_set.shop_money.amount",
  "customer.id",
  "customer.admin_graphql_api_id",
  "customer.email",
  "customer.first_name",
  "customer.last_name",
  "customer.updated_at",
] as const;

/** customers_email_marketing_consent/update. */
export const emailConsentWebhookSchema = z.object({
  customer_id: restId,
  email_address: z.string().nullish(),
  email_marketing_consent: z.object({
    state: z.string().nullable(),
    opt_in_level: z.string().nullish(),
    consent_updated_at: date.nullish(),
  }),
});

/** customer.tags_added and customer.tags_removed: only the tags that changed. */
export const customerTagsWebhookSchema = z.object({
  customerId: gidOf("Customer"),
  tags: z.array(z.string().max(255)),
  occurredAt: date,
});

/** customers/delete and orders/delete carry the id only. */
export const customerDeleteWebhookSchema = z.object({ id: restId, admin_graphql_api_id: gidOf("Customer").optional() });
export const orderDeleteWebhookSchema = z.object({ id: restId });

/** customers/merge (scope read_customer_merge). */
export const customerMergeWebhookSchema = z.object({
  admin_graphql_api_customer_kept_id: gidOf("Customer"),
  admin_graphql_api_customer_deleted_id: gidOf("Customer"),
  admin_graphql_api_job_id: z.string().nullish(),
  status: z.string(),
});

export const customerGid = (id: number | string, given?: string) => given ?? `gid://shopify/Customer/${id}`;
const orderGid = (id: number | string, given?: string) => given ?? `gid://shopify/Order/${id}`;
export const orderGidOf = (payload: { id: number | string }) => orderGid(payload.id);

/**
 * Refund transactions are in the presentment currency; scale them to the shop's currency with the
 * order's own shop/presentment ratio (1 for single-currency orders).
 */
function refundedInShopMoney(payload: OrderWebhookPayload, shopTotal: number): number {
  const refunded = (payload.refunds ?? [])
    .flatMap((refund) => refund.transactions ?? [])
    .filter((t) => (t.kind ?? "refund") === "refund" && (t.status ?? "success") === "success")
    .reduce((sum, t) => sum + money(t.amount), 0);
  const presentment = money(payload.total_price_set?.presentment_money?.amount ?? payload.total_price);
  const ratio = presentment > 0 ? shopTotal / presentment : 1;
  return money(refunded * ratio);
}

const toDate = (value: string | null | undefined) => (value ? new Date(value) : null);

export function orderFromWebhook(payload: OrderWebhookPayload): OrderRecord {
  const shopMoney = payload.total_price_set?.shop_money;
  const totalPrice = money(shopMoney?.amount ?? payload.total_price);
  return {
    shopifyId: orderGid(payload.id, payload.admin_graphql_api_id),
    customerShopifyId: payload.customer ? customerGid(payload.customer.id, payload.customer.admin_graphql_api_id) : null,
    name: payload.name ?? null,
    processedAt: new Date(payload.processed_at ?? payload.created_at),
    shopifyUpdatedAt: toDate(payload.updated_at),
    totalPrice,
    totalRefunded: refundedInShopMoney(payload, totalPrice),
    currencyCode: shopMoney?.currency_code ?? payload.currency ?? "USD",
    cancelledAt: toDate(payload.cancelled_at),
    test: payload.test === true,
    discountCodes: (payload.discount_codes ?? []).map((d) => d.code),
    // Shop currency, as the backfill's totalDiscountsSet.shopMoney (total_discounts is the legacy same amount).
    totalDiscounts: money(payload.total_discounts_set?.shop_money?.amount ?? payload.total_discounts),
  };
}

/**
 * The columns a customer record from customers/create|update (or inside an order) carries: only those
 * whose field is in the payload (include_fields or a future payload may leave one out).
 */
export function customerFieldsFromWebhook(payload: CustomerWebhookPayload) {
  const values: { email?: string | null; firstName?: string | null; lastName?: string | null; shopifyUpdatedAt?: Date | null } = {};
  if ("email" in payload) values.email = payload.email ?? null;
  if ("first_name" in payload) values.firstName = payload.first_name ?? null;
  if ("last_name" in payload) values.lastName = payload.last_name ?? null;
  if ("updated_at" in payload) values.shopifyUpdatedAt = toDate(payload.updated_at);
  return { shopifyId: customerGid(payload.id, payload.admin_graphql_api_id), values };
}

/** The email consent of customers_email_marketing_consent/update; its version is the consent's own date. */
export function emailConsentFromWebhook(payload: z.infer<typeof emailConsentWebhookSchema>, triggeredAt: Date | null) {
  const consent = payload.email_marketing_consent;
  return {
    shopifyId: customerGid(payload.customer_id),
    values: {
      marketingState: consent.state?.toUpperCase() ?? null,
      // Shopify's own examples leave consent_updated_at null: then the delivery's trigger time orders it.
      marketingUpdatedAt: toDate(consent.consent_updated_at) ?? triggeredAt,
    },
  };
}

export interface TagState {
  tags: string[];
  /** Lower-cased tag → ISO time of the last add/remove event applied to it. */
  versions: Map<string, string>;
}

/**
 * Applies one customer.tags_added / customer.tags_removed event. Each tag keeps the time of the last
 * event applied to it, so duplicates change nothing and an older event never undoes a newer one:
 * any delivery order ends in Shopify's state.
 */
export function applyTagEvent(state: TagState, event: { tags: string[]; occurredAt: string }, kind: "added" | "removed"): TagState {
  const at = new Date(event.occurredAt).getTime();
  const versions = new Map(state.versions);
  let tags = [...state.tags];
  for (const tag of event.tags.map((t) => t.trim()).filter(Boolean)) {
    const key = tag.toLowerCase();
    const seen = versions.get(key);
    if (seen !== undefined && new Date(seen).getTime() > at) continue;
    versions.set(key, new Date(at).toISOString());
    tags = tags.filter((t) => t.toLowerCase() !== key);
    if (kind === "added") tags.push(tag);
  }
  return { tags, versions };
}
