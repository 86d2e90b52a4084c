/**
 * Codes added in bulk to one shared discount (audience rewards, docs/decisions/021):
 * `discountRedeemCodeBulkAdd` takes at most 250 codes per call and creates them asynchronously; the
 * returned `DiscountRedeemCodeBulkCreation` is polled until `done`, and its per-code results are read
 * only when some codes failed. A batch whose answer was lost is reconciled by reading the discount's
 * codes back, newest first.
 */
import { ShopifyUserErrors, type AdminClient } from "./admin-client.server";
import {
  CODE_DISCOUNT_CODES_NEWEST,
  DISCOUNT_CODE_BASIC_ADD_CUSTOMERS,
  DISCOUNT_REDEEM_CODE_BULK_ADD,
  DISCOUNT_REDEEM_CODE_BULK_CREATION,
  DISCOUNT_REDEEM_CODE_BULK_CREATION_CODES,
  type BulkCreationCodesPage,
  type BulkCreationStatus,
  type DiscountCodesPage,
} from "./queries/discounts";

/** Shopify's cap on `codes` in one `discountRedeemCodeBulkAdd` call. */
export const MAX_CODES_PER_BULK_ADD = 250;

/** Lets these customers use the shared discount (`context.customers.add` adds to its list). */
export async function addDiscountCustomers(client: AdminClient, discountId: string, customerIds: readonly string[]): Promise<void> {
  await client.mutate(
    DISCOUNT_CODE_BASIC_ADD_CUSTOMERS,
    { id: discountId, basicCodeDiscount: { context: { customers: { add: [...customerIds] } } } },
    "discountCodeBasicUpdate",
  );
}

/** Starts adding `codes` to the discount; returns the bulk creation's id. */
export async function bulkAddCodes(client: AdminClient, discountId: string, codes: readonly string[]): Promise<string> {
  if (codes.length > MAX_CODES_PER_BULK_ADD) throw new Error(`At most ${MAX_CODES_PER_BULK_ADD} codes per bulk add, got ${codes.length}`);
  const data = await client.mutate<{ discountRedeemCodeBulkAdd: { bulkCreation: { id: string } | null } }>(
    DISCOUNT_REDEEM_CODE_BULK_ADD,
    { discountId, codes: codes.map((code) => ({ code })) },
    "discountRedeemCodeBulkAdd",
  );
  const id = data.discountRedeemCodeBulkAdd.bulkCreation?.id;
  if (!id) throw new ShopifyUserErrors("discountRedeemCodeBulkAdd", [{ field: null, message: "Shopify started no bulk creation" }]);
  return id;
}

export type CodeOutcome = { code: string; created: true } | { code: string; created: false; errorCode: string | null; message: string };

/**
 * Waits for the creation to be done (`sleep` between polls, growing to `maxWaitMs`), then says what
 * became of each code. Codes absent from the answer are reported as not created.
 */
export async function awaitBulkCreation(
  client: AdminClient,
  creationId: string,
  codes: readonly string[],
  sleep: (ms: number) => Promise<void>,
  maxWaitMs = 5_000,
): Promise<CodeOutcome[]> {
  let wait = 100;
  for (;;) {
    const status = (await client.request<BulkCreationStatus>(DISCOUNT_REDEEM_CODE_BULK_CREATION, { id: creationId }))
      .discountRedeemCodeBulkCreation;
    if (!status) throw new Error(`Bulk creation ${creationId} not found`);
    if (status.done) {
      if (status.failedCount === 0 && status.importedCount === codes.length) return codes.map((code) => ({ code, created: true }));
      return perCodeResults(client, creationId, codes);
    }
    await sleep(wait);
    wait = Math.min(wait * 2, maxWaitMs);
  }
}

async function perCodeResults(client: AdminClient, creationId: string, codes: readonly string[]): Promise<CodeOutcome[]> {
  const found = new Map<string, CodeOutcome>();
  let after: string | null = null;
  do {
    const page: BulkCreationCodesPage = await client.request<BulkCreationCodesPage>(DISCOUNT_REDEEM_CODE_BULK_CREATION_CODES, {
      id: creationId,
      after,
    });
    const connection = page.discountRedeemCodeBulkCreation?.codes;
    if (!connection) break;
    for (const node of connection.nodes) {
      const error = node.errors[0];
      found.set(
        node.code,
        node.discountRedeemCode
          ? { code: node.code, created: true }
          : { code: node.code, created: false, errorCode: error?.code ?? null, message: error?.message ?? "Code was not created" },
      );
    }
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
  } while (after);
  return codes.map((code) => found.get(code) ?? { code, created: false, errorCode: null, message: "Code missing from the bulk creation" });
}

/**
 * Which of `wanted` the discount holds, reading its codes newest first and stopping once all are
 * found or a code from `before` (added before the batch, so everything older is too) is reached.
 */
export async function findCodesOnDiscount(
  client: AdminClient,
  discountId: string,
  wanted: ReadonlySet<string>,
  before: ReadonlySet<string>,
): Promise<Set<string>> {
  const found = new Set<string>();
  let cursor: string | null = null;
  for (;;) {
    const page: DiscountCodesPage = await client.request<DiscountCodesPage>(CODE_DISCOUNT_CODES_NEWEST, { id: discountId, before: cursor });
    const codes = page.codeDiscountNode?.codeDiscount.codes;
    if (!codes) return found;
    let reachedOlder = false;
    for (const { code } of codes.nodes) {
      if (wanted.has(code)) found.add(code);
      else if (before.has(code)) reachedOlder = true;
    }
    if (reachedOlder || found.size === wanted.size || !codes.pageInfo.hasPreviousPage) return found;
    cursor = codes.pageInfo.startCursor;
  }
}
