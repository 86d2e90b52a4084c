/** Reading customers page by page (the nightly refresh); the admin client paces each call by Shopify's bucket. */
import type { AdminClient } from "./admin-client.server";
import { CUSTOMERS_UPDATED_SINCE, type CustomersPage } from "./queries/customers";

/**
 * Shopify's search syntax for "changed in (since, until]": `until` fixes the window, so a page read
 * again after an interruption asks the same question and its cursor stays valid.
 */
export function updatedBetweenQuery(since: Date, until: Date): string {
  return `updated_at:>'${since.toISOString()}' AND updated_at:<='${until.toISOString()}'`;
}

export async function customersUpdatedPage(client: AdminClient, query: string, after: string | null, first: number) {
  const data = await client.request<CustomersPage>(CUSTOMERS_UPDATED_SINCE, { first, after, query });
  return data.customers;
}
