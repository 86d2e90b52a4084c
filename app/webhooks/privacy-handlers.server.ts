import { z } from "zod";
import { hasOfflineSession, markUninstalled } from "../models/shop.server";
import { heldForRedaction, recordDataRequest, redactCustomer, redactShop } from "../models/privacy.server";
import { checkShopToken } from "../jobs/installation.server";
import type { Confirmation, WebhookDelivery } from "./delivery";

/**
 * The app and privacy topics. These delete data, so besides the HMAC (body only) each is bound to
 * its own shape, so a signed body of one topic cannot be replayed as another (a
 * customers/data_request body re-sent as shop/redact has keys no shop/redact carries), and the
 * deletion is confirmed before it runs.
 */

const restId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, "not a numeric id")]);

/** Keys that mark another privacy topic's body: their presence refuses the delivery. */
function without<T extends z.ZodRawShape>(shape: T, foreign: string[]) {
  return z
    .object(shape)
    .passthrough()
    .superRefine((body, ctx) => {
      for (const key of foreign) {
        if (Object.prototype.hasOwnProperty.call(body, key))
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: "belongs to another topic's body" });
      }
    });
}

export const shopRedactSchema = without({ shop_id: restId, shop_domain: z.string() }, [
  "customer",
  "orders_to_redact",
  "orders_requested",
  "data_request",
]);
export const customersRedactSchema = without(
  { shop_id: restId, shop_domain: z.string(), customer: z.object({ id: restId }).passthrough(), orders_to_redact: z.array(restId) },
  ["orders_requested", "data_request"],
);
export const dataRequestSchema = without(
  {
    shop_id: restId,
    shop_domain: z.string(),
    customer: z.object({ id: restId }).passthrough(),
    orders_requested: z.array(restId),
    data_request: z.object({ id: restId }),
  },
  ["orders_to_redact"],
);
/** app/uninstalled carries the shop resource. */
export const appUninstalledSchema = without({ id: restId, myshopify_domain: z.string(), domain: z.string().nullish() }, [
  "shop_domain",
  "customer",
]);
export const bulkFinishSchema = z.object({
  admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/BulkOperation\/\d+$/, "not a BulkOperation id"),
  status: z.string(),
});

const customerGid = (id: number | string) => `gid://shopify/Customer/${id}`;
const orderGid = (id: number | string) => `gid://shopify/Order/${id}`;

function logDeletion(delivery: WebhookDelivery, what: string) {
  console.info(`Webhook ${delivery.topic} ${delivery.webhookId} for ${delivery.shop}: ${what}`);
}

/** app/uninstalled is confirmed when Shopify rejects the shop's token (it revokes tokens on uninstall). */
export const confirmUninstall: Confirmation<unknown> = async ({ shop }) => {
  const check = await checkShopToken(shop);
  return check === "accepted" ? "Shopify still accepts the shop's access token: the app is installed" : null;
};

export async function applyUninstall(delivery: WebhookDelivery<z.infer<typeof appUninstalledSchema>>) {
  await markUninstalled(delivery.shop);
  logDeletion(delivery, "sessions deleted, shop marked uninstalled");
}

/** shop/redact: only for a shop Kinship holds as uninstalled whose token (if one is still stored) Shopify rejects. */
export const confirmShopRedact: Confirmation<unknown> = async ({ shop }) => {
  if (!(await hasOfflineSession(shop))) return null;
  return (await checkShopToken(shop)) === "accepted" ? "Shopify still accepts the shop's access token: the app is installed" : null;
};

export async function applyShopRedact(delivery: WebhookDelivery<z.infer<typeof shopRedactSchema>>) {
  await redactShop(delivery.shop, delivery.webhookId);
  logDeletion(delivery, "every row of the shop deleted");
}

/** customers/redact: deletes only what Kinship holds of the request's own ids in this shop. */
export async function applyCustomerRedact(delivery: WebhookDelivery<z.infer<typeof customersRedactSchema>>) {
  const { shop, payload } = delivery;
  const customer = customerGid(payload.customer.id);
  const orders = payload.orders_to_redact.map(orderGid);
  const held = await heldForRedaction(shop, customer, orders);
  if (!held.customers && !held.orders) {
    logDeletion(delivery, `nothing held for ${customer}: nothing deleted`);
    return;
  }
  await redactCustomer(shop, customer, orders);
  logDeletion(delivery, `${customer} redacted (${held.orders} of ${orders.length} orders held)`);
}

export async function applyDataRequest({ shop, payload }: WebhookDelivery<z.infer<typeof dataRequestSchema>>) {
  await recordDataRequest(shop, customerGid(payload.customer.id), String(payload.data_request.id));
}
