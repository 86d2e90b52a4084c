import { money, type CustomerRecord, type OrderRecord } from "./records";

/** The fields Kinship reads from Shopify's REST-shaped order webhook payload. */
export interface OrderWebhookPayload {
  id: number | string;
  admin_graphql_api_id?: string;
  name?: string | null;
  processed_at?: string | null;
  created_at: string;
  updated_at?: string | null;
  cancelled_at?: string | null;
  test?: boolean;
  currency?: string;
  total_price?: string;
  total_price_set?: { shop_money?: { amount: string; currency_code: string }; presentment_money?: { amount: string } };
  refunds?: Array<{ transactions?: Array<{ amount: string; kind?: string; status?: string }> }>;
  discount_codes?: Array<{ code: string }>;
  customer?: CustomerWebhookPayload | null;
}

export interface CustomerWebhookPayload {
  id: number | string;
  admin_graphql_api_id?: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  updated_at?: string | null;
  tags?: string | string[] | null;
  email_marketing_consent?: { state?: string | null } | null;
}

const gid = (type: string, id: number | string, given?: string) => given ?? `gid://shopify/${type}/${id}`;
function date(value: string | null | undefined, field: string): Date | null {
  if (!value) return null;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new Error(`webhook field ${field} is not a date: "${value}"`);
  return parsed;
}

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

export function orderFromWebhook(payload: OrderWebhookPayload): OrderRecord {
  if (payload.id === undefined || !payload.created_at) throw new Error("order webhook without id or created_at");
  const shopMoney = payload.total_price_set?.shop_money;
  const totalPrice = money(shopMoney?.amount ?? payload.total_price);
  return {
    shopifyId: gid("Order", payload.id, payload.admin_graphql_api_id),
    customerShopifyId: payload.customer ? gid("Customer", payload.customer.id, payload.customer.admin_graphql_api_id) : null,
    name: payload.name ?? null,
    processedAt: date(payload.processed_at ?? payload.created_at, payload.processed_at ? "processed_at" : "created_at")!,
    shopifyUpdatedAt: date(payload.updated_at, "updated_at"),
    totalPrice,
    totalRefunded: refundedInShopMoney(payload, totalPrice),
    currencyCode: shopMoney?.currency_code ?? payload.currency ?? "USD",
    cancelledAt: date(payload.cancelled_at, "cancelled_at"),
    test: payload.test === true,
    discountCodes: (payload.discount_codes ?? []).map((d) => d.code),
  };
}

export function customerFromWebhook(payload: CustomerWebhookPayload): CustomerRecord {
  if (payload.id === undefined) throw new Error("customer webhook without id");
  const tags = Array.isArray(payload.tags)
    ? payload.tags
    : (payload.tags ?? "").split(",").map((t) => t.trim()).filter(Boolean);
  return {
    shopifyId: gid("Customer", payload.id, payload.admin_graphql_api_id),
    email: payload.email ?? null,
    firstName: payload.first_name ?? null,
    lastName: payload.last_name ?? null,
    marketingState: payload.email_marketing_consent?.state?.toUpperCase() ?? null,
    // Birthdays are not in the webhook; they come from the metafield (bulk) or Kinship's own forms.
    birthday: null,
    tags,
    shopifyRfmGroup: null,
    shopifyUpdatedAt: date(payload.updated_at, "updated_at"),
  };
}
