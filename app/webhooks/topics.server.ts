import type { z } from "zod";
import {
  customerDeleteWebhookSchema,
  customerMergeWebhookSchema,
  customerTagsWebhookSchema,
  customerWebhookSchema,
  emailConsentWebhookSchema,
  orderDeleteWebhookSchema,
  orderWebhookSchema,
} from "../sync/webhook-records";
import { fulfillmentEventWebhookSchema, fulfillmentWebhookSchema } from "../sync/fulfillment-records";
import type { Confirmation, TransactionalWebhookHandler, WebhookHandler } from "./delivery";
import { applyFulfillmentEventWebhook, applyFulfillmentWebhook } from "./fulfillment-handlers.server";
import {
  appUninstalledSchema,
  applyCustomerRedact,
  applyDataRequest,
  applyShopRedact,
  applyUninstall,
  bulkFinishSchema,
  confirmShopRedact,
  confirmUninstall,
  customersRedactSchema,
  dataRequestSchema,
  shopRedactSchema,
} from "./privacy-handlers.server";
import {
  applyBulkFinishWebhook,
  applyCustomerDeleteWebhook,
  applyCustomerMergeWebhook,
  applyCustomerWebhook,
  applyEmailConsentWebhook,
  applyOrderDeleteWebhook,
  applyOrderWebhook,
  tagsWebhookHandler,
} from "./sync-handlers.server";

/**
 * Which shops a topic applies to: "installed" (sync topics), "held" (installed or uninstalled but not
 * yet redacted: privacy requests), "uninstalled" (shop/redact). A delivery for a shop Kinship does
 * not hold in that state writes nothing.
 */
export type ShopRequirement = "installed" | "held" | "uninstalled";

interface TopicBase<Schema extends z.ZodTypeAny> {
  /** The topic as in X-Shopify-Topic and shopify.app.toml. */
  topic: string;
  /** The body's shape; a delivery whose body does not parse is refused. */
  schema: Schema;
  /** The shop domains the body names (shop_domain, myshopify_domain, domain): each must be the header's shop. */
  shopNames?: (payload: z.infer<Schema>) => Array<string | null | undefined>;
  shop: ShopRequirement;
  /** For destructive topics: why the deletion is not confirmed, or null. Runs before anything is written. */
  confirm?: Confirmation<z.infer<Schema>>;
  /** The order topics' shopify.app.toml subscription sets include_fields (see ORDER_INCLUDE_FIELDS). */
  includeFields?: boolean;
  /** Applying it can change the dashboard's customer figures (counts, spend, groups, consent): they are refreshed soon after. */
  changesCustomerFigures?: boolean;
}

export type TopicDefinition<Schema extends z.ZodTypeAny = z.ZodTypeAny> = TopicBase<Schema> &
  ({ applyInTransaction: TransactionalWebhookHandler<z.infer<Schema>> } | { apply: WebhookHandler<z.infer<Schema>> });

// Typed per topic here; the registry holds them erased (the schema parse is what makes a payload typed).
const define = <Schema extends z.ZodTypeAny>(definition: TopicDefinition<Schema>): TopicDefinition => definition;

const shopDomain = (payload: { shop_domain: string }) => [payload.shop_domain];

/** Every topic Kinship subscribes to: the one list shopify.app.toml must match (a test compares them). */
export const WEBHOOK_TOPICS: readonly TopicDefinition[] = [
  define({
    topic: "orders/create",
    schema: orderWebhookSchema,
    shop: "installed",
    includeFields: true,
    changesCustomerFigures: true,
    applyInTransaction: applyOrderWebhook,
  }),
  define({
    topic: "orders/updated",
    schema: orderWebhookSchema,
    shop: "installed",
    includeFields: true,
    changesCustomerFigures: true,
    applyInTransaction: applyOrderWebhook,
  }),
  define({
    topic: "orders/cancelled",
    schema: orderWebhookSchema,
    shop: "installed",
    includeFields: true,
    changesCustomerFigures: true,
    applyInTransaction: applyOrderWebhook,
  }),
  define({
    topic: "orders/delete",
    schema: orderDeleteWebhookSchema,
    shop: "installed",
    changesCustomerFigures: true,
    applyInTransaction: applyOrderDeleteWebhook,
  }),
  define({
    topic: "customers/create",
    schema: customerWebhookSchema,
    shop: "installed",
    changesCustomerFigures: true,
    applyInTransaction: applyCustomerWebhook,
  }),
  define({
    topic: "customers/update",
    schema: customerWebhookSchema,
    shop: "installed",
    changesCustomerFigures: true,
    applyInTransaction: applyCustomerWebhook,
  }),
  define({
    topic: "customers/delete",
    schema: customerDeleteWebhookSchema,
    shop: "installed",
    changesCustomerFigures: true,
    applyInTransaction: applyCustomerDeleteWebhook,
  }),
  define({
    topic: "customers/merge",
    schema: customerMergeWebhookSchema,
    shop: "installed",
    changesCustomerFigures: true,
    applyInTransaction: applyCustomerMergeWebhook,
  }),
  define({
    topic: "customers_email_marketing_consent/update",
    schema: emailConsentWebhookSchema,
    shop: "installed",
    changesCustomerFigures: true,
    applyInTransaction: applyEmailConsentWebhook,
  }),
  define({
    topic: "customer.tags_added",
    schema: customerTagsWebhookSchema,
    shop: "installed",
    applyInTransaction: tagsWebhookHandler("added"),
  }),
  define({
    topic: "customer.tags_removed",
    schema: customerTagsWebhookSchema,
    shop: "installed",
    applyInTransaction: tagsWebhookHandler("removed"),
  }),
  define({ topic: "bulk_operations/finish", schema: bulkFinishSchema, shop: "installed", apply: applyBulkFinishWebhook }),
  // "Ask after delivery" (scope read_fulfillments).
  define({ topic: "fulfillments/create", schema: fulfillmentWebhookSchema, shop: "installed", apply: applyFulfillmentWebhook }),
  define({
    topic: "fulfillment_events/create",
    schema: fulfillmentEventWebhookSchema,
    shop: "installed",
    apply: applyFulfillmentEventWebhook,
  }),
  define({
    topic: "app/uninstalled",
    schema: appUninstalledSchema,
    // `domain` is the shop's primary domain, which may be its own (custom) one: only a myshopify one is comparable.
    shopNames: (payload) => [payload.myshopify_domain, payload.domain?.endsWith(".myshopify.com") ? payload.domain : null],
    shop: "installed",
    confirm: confirmUninstall,
    apply: applyUninstall,
  }),
  define({ topic: "customers/data_request", schema: dataRequestSchema, shopNames: shopDomain, shop: "held", apply: applyDataRequest }),
  define({
    topic: "customers/redact",
    schema: customersRedactSchema,
    shopNames: shopDomain,
    shop: "held",
    changesCustomerFigures: true,
    apply: applyCustomerRedact,
  }),
  define({
    topic: "shop/redact",
    schema: shopRedactSchema,
    shopNames: shopDomain,
    shop: "uninstalled",
    confirm: confirmShopRedact,
    apply: applyShopRedact,
  }),
];

/** The topics Kinship subscribes to, in the header's form. */
export const SUBSCRIBED_TOPICS = WEBHOOK_TOPICS.map((definition) => definition.topic);

const byTopic = new Map(WEBHOOK_TOPICS.map((definition) => [definition.topic, definition]));

export function webhookTopic(topic: string): TopicDefinition | undefined {
  return byTopic.get(topic);
}

/** The library's enum form ("ORDERS_CREATE", "CUSTOMER_TAGS_ADDED") to the header's, for the topics above. */
const byEnumName = new Map(SUBSCRIBED_TOPICS.map((topic) => [topic.replace(/[/.]/g, "_").toUpperCase(), topic]));

export function normaliseTopic(topic: string): string {
  return /[/.]/.test(topic) ? topic.toLowerCase() : (byEnumName.get(topic) ?? topic.toLowerCase());
}
