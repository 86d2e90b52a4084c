import db from "../../app/db.server";
import { createRule } from "../../app/models/rules.server";
import { applyFlowLifecycleNotice } from "../../app/models/flow-usage.server";
import { saveShopSettings } from "../../app/models/shop-settings.server";
import { CUSTOMER_CAP_BOUNDS } from "../../app/retention/rewards/customer-caps";
import { FLOW_TRIGGER_HANDLE } from "../../app/retention/rewards";
import { validateRuleInput, type RuleDraft } from "../../app/retention/rewards";
import { createAdminClient, type AdminClient, type AdminClientOptions } from "../../app/shopify/admin-client.server";
import type { Emulator } from "../emulator/server";
import type { CustomerRecord } from "../emulator/store/records";

export interface RewardsShop {
  shop: string;
  client: AdminClient;
}

/**
 * The shop's row in Kinship's database and an admin client with an offline token from the emulator.
 * Unless `flowWorkflow: false`, the shop has an enabled Flow workflow using Kinship's trigger (as
 * Flow's lifecycle callback would have said), so its codes have a delivery channel.
 */
export async function setUpShop(
  emulator: Emulator,
  shop: string,
  options: {
    timeZone?: string;
    currencyCode?: string;
    clientOptions?: AdminClientOptions;
    flowWorkflow?: boolean;
    defaultCaps?: boolean;
  } = {},
): Promise<RewardsShop> {
  const state = emulator.shop(shop);
  await db.shop.create({
    data: { shop: state.domain, name: state.name, ianaTimezone: options.timeZone ?? "UTC", currencyCode: options.currencyCode ?? "EUR" },
  });
  if (options.flowWorkflow !== false) {
    await applyFlowLifecycleNotice(state.domain, {
      flowTriggerDefinitionId: FLOW_TRIGGER_HANDLE,
      hasEnabledFlow: true,
      timestamp: new Date(0),
    });
  }
  // Tests of other concerns give one customer several codes a day: the per-customer cap is at its widest
  // unless the test is about the shop's defaults.
  if (!options.defaultCaps) {
    await saveShopSettings(state.domain, {
      customerCaps: { perDay: CUSTOMER_CAP_BOUNDS.perDay.max, per30Days: CUSTOMER_CAP_BOUNDS.per30Days.max },
    });
  }
  const token = emulator.issueAccessToken(state.domain).accessToken;
  return { shop: state.domain, client: createAdminClient({ shop: state.domain, accessToken: token }, options.clientOptions) };
}

export interface TestCustomer {
  birthDate?: string | null;
  subscribed?: boolean;
  lifecycle?: string | null;
  lapsedSince?: Date | null;
  totalSpent?: number;
  orderCount?: number;
  predictedClv?: number | null;
  /** The synced first order (and last order, the first when not given). */
  firstOrderAt?: Date | null;
  lastOrderAt?: Date | null;
}

/** Creates the customer in the emulated shop and the synced copy in Kinship's database; returns the GID. */
export async function addCustomer(emulator: Emulator, shop: string, c: TestCustomer = {}): Promise<string> {
  const { record } = emulator.mutate(shop).createCustomer(
    {
      birthDate: c.birthDate ?? null,
      marketingState: c.subscribed === false ? "NOT_SUBSCRIBED" : "SUBSCRIBED",
    } satisfies Partial<CustomerRecord>,
    { deliver: false },
  );
  const gid = `gid://shopify/Customer/${record.id}`;
  await db.customer.create({
    data: {
      shop,
      shopifyId: gid,
      email: record.email,
      marketingState: record.marketingState,
      birthday: c.birthDate ?? null,
      lifecycle: c.lifecycle ?? null,
      lapsedSince: c.lapsedSince ?? null,
      totalSpent: c.totalSpent ?? 0,
      orderCount: c.orderCount ?? 0,
      predictedClv: c.predictedClv ?? null,
      firstOrderAt: c.firstOrderAt ?? null,
      lastOrderAt: c.lastOrderAt ?? c.firstOrderAt ?? null,
    },
  });
  return gid;
}

export async function addRule(shop: string, input: Record<string, unknown>): Promise<{ id: string; rule: RuleDraft }> {
  const result = validateRuleInput(input, { knownTiers: [] });
  if (!result.ok) throw new Error(`Invalid test rule: ${JSON.stringify(result.fieldErrors)}`);
  return { id: await createRule(shop, result.rule), rule: result.rule };
}

/** Issue rows by status, for compact assertions. */
export async function ledger(shop: string) {
  return db.issuedDiscount.findMany({ where: { shop }, orderBy: [{ createdAt: "asc" }, { idempotencyKey: "asc" }] });
}

export const at = (iso: string) => () => new Date(iso);

/**
 * A client whose first `payloadKey` mutation dies: before the request is sent, or after Shopify acted but
 * before the answer came back. `beforeCrash` sees the variables (to note which ledger row was in flight).
 */
export function crashFirstMutation(
  client: AdminClient,
  payloadKey: string,
  when: "beforeSend" | "answerLost",
  beforeCrash: (variables: Record<string, unknown>) => Promise<void>,
): AdminClient {
  let crashed = false;
  return {
    shop: client.shop,
    get lastCost() {
      return client.lastCost;
    },
    request: (document, variables) => client.request(document, variables),
    mutate: async (document, variables, key) => {
      if (key !== payloadKey || crashed) return client.mutate(document, variables, key);
      crashed = true;
      await beforeCrash(variables);
      if (when === "answerLost") await client.mutate(document, variables, key);
      throw new TypeError("fetch failed: socket hang up");
    },
  };
}
