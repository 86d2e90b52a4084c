export { retryTransient, type RetryClock } from "../models/sql/transient-errors.server";

/**
 * How long a delivery may spend retrying a transient database error. Shopify allows one second to
 * connect and five for the whole request, and treats anything but a 2xx (or no answer) as a failure it
 * retries later (shopify.dev, "Deliver webhooks through HTTPS"): retries stop with a second to spare, so
 * even the error answer arrives in time.
 */
export const WEBHOOK_RETRY_BUDGET_MS = 4_000;
