import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  Checkbox,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useCallback, useMemo, useState, type ComponentProps } from "react";
import { previewForShop } from "../jobs/issuance.server";
import { listIssuedForRule } from "../models/issued-discounts.server";
import { ruleResults } from "../models/reward-results.server";
import { rewardSegmentOptions } from "../models/reward-customers.server";
import { createRule, deleteRule, getRule, knownTierNames, updateRule } from "../models/rules.server";
import { getShop } from "../models/shop.server";
import {
  addDays,
  campaignInputFromPreset,
  FORM_ERROR_KEY,
  HOLIDAY_PRESETS,
  localDateAt,
  RULE_KINDS,
  ruleSchemas,
  validateRuleInput,
  type FieldErrors,
  type RuleKind,
} from "../retention/rewards";
import { authenticate } from "../shopify.server";
import { setDeclaredField } from "../forms/schema-paths";
import { resolveLocale, translate } from "../i18n";

/** Form values as flat dotted paths ("reward.percentage", "tiers.0.threshold"), the same paths field errors use. */
type Values = Record<string, string>;

const KIND_LABELS: Record<RuleKind, string> = {
  loyaltyTiers: "Loyalty tiers",
  birthday: "Birthday",
  winback: "Win-back",
  holidayCampaign: "Holiday campaign",
  feedbackThanks: "Feedback thanks",
};

const BOOLEAN_FIELDS = new Set(["enabled", "oncePerCustomer", "lastChance"]);
// Empty means "not set" for these (the budget caps say "Leave empty for no cap").
const OPTIONAL_TEXT_FIELDS = new Set(["presetId", "holidayDate", "budget.maxCount", "budget.maxAmount"]);

/**
 * Form fields → the raw input `validateRuleInput` expects (it does all checking; this only reshapes).
 * A dotted name becomes a nested field only where the kind's schema declares it; any other name is
 * returned in `undeclared` and set nowhere.
 */
export function formToRuleInput(entries: Iterable<[string, FormDataEntryValue]>): { input: Record<string, unknown>; undeclared: string[] } {
  const list = [...entries];
  const kind = list.find(([key]) => key === "kind")?.[1];
  const schema = typeof kind === "string" && Object.hasOwn(ruleSchemas, kind) ? ruleSchemas[kind as RuleKind] : null;
  const raw: Record<string, unknown> = {};
  const undeclared: string[] = [];
  const setPath = (key: string, value: unknown) => {
    if (key === "kind") raw.kind = value;
    // An unknown kind is reported by validation; its other fields mean nothing.
    else if (schema && !setDeclaredField(raw, schema, key, value)) undeclared.push(key);
  };
  for (const [key, value] of list) {
    if (key === "intent" || typeof value !== "string") continue;
    if (OPTIONAL_TEXT_FIELDS.has(key) && value.trim() === "") continue;
    if (BOOLEAN_FIELDS.has(key)) {
      setPath(key, value === "true" ? true : value === "false" ? false : value);
    } else if (key === "holdoutShare") {
      // Shown as a percentage; stored as a share of 0–0.5.
      const n = Number(value.trim());
      raw.holdoutShare = value.trim() === "" ? undefined : Number.isFinite(n) ? Math.round(n * 100) / 10_000 : value;
    } else if (key === "reminders") {
      const days = value.split(/[,\s]+/).filter(Boolean);
      if (days.length) raw.reminders = days;
    } else {
      setPath(key, value);
    }
  }
  if (Array.isArray(raw.tiers)) {
    for (const tier of raw.tiers as Array<Record<string, unknown>>) {
      const reward = tier?.reward as Record<string, unknown> | undefined;
      if (reward?.type === "none" || reward?.type === "") tier.reward = null;
    }
  }
  return { input: raw, undeclared };
}

function flatten(value: unknown, prefix: string, out: Values) {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(v, `${prefix}${i}.`, out));
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flatten(v, `${prefix}${k}.`, out);
  } else {
    out[prefix.slice(0, -1)] = String(value);
  }
}

function ruleToValues(rule: Record<string, unknown>): Values {
  const { reminders, holdoutShare, ...rest } = rule;
  delete rest.id;
  const out: Values = { "budget.maxCount": "", "budget.maxAmount": "" };
  flatten(rest, "", out);
  if (Array.isArray(reminders)) out.reminders = reminders.join(", ");
  out.holdoutShare = String(Math.round(Number(holdoutShare ?? 0) * 10_000) / 100);
  for (const key of Object.keys(out)) {
    const tier = /^(tiers\.\d+\.)name$/.exec(key);
    if (tier && !(`${tier[1]}reward.type` in out)) out[`${tier[1]}reward.type`] = "none";
  }
  return out;
}

function defaultsFor(kind: RuleKind, today: string, presetId: string | null): Values {
  const common = { kind, enabled: "true", holdoutShare: "0", "budget.maxCount": "", "budget.maxAmount": "" };
  const percent = (p: number) => ({ "reward.type": "percentage", "reward.percentage": String(p) });
  switch (kind) {
    case "loyaltyTiers":
      return {
        ...common, name: "Loyalty tiers", metric: "netSpend", window: "lifetime", graceDays: "30", validityDays: "30", oncePerCustomer: "true",
        "tiers.0.name": "Bronze", "tiers.0.threshold": "100", "tiers.0.reward.type": "percentage", "tiers.0.reward.percentage": "5",
        "tiers.1.name": "Silver", "tiers.1.threshold": "500", "tiers.1.reward.type": "percentage", "tiers.1.reward.percentage": "10",
        "tiers.2.name": "Gold", "tiers.2.threshold": "1000", "tiers.2.reward.type": "percentage", "tiers.2.reward.percentage": "15",
      };
    case "birthday":
      return { ...common, name: "Birthday gift", ...percent(15), windowDaysBefore: "7", windowDaysAfter: "3", reminders: "-7, -3, 0", lastChance: "false" };
    case "winback":
      return { ...common, name: "We miss you", ...percent(15), validityDays: "14", cooldownDays: "90" };
    case "holidayCampaign": {
      if (presetId && HOLIDAY_PRESETS.some((p) => p.id === presetId)) {
        const input = campaignInputFromPreset(presetId, today, { type: "percentage", percentage: 10 });
        const values: Values = { ...common };
        flatten(input, "", values);
        return values;
      }
      return { ...common, name: "Holiday campaign", ...percent(10), startsAt: today, endsAt: addDays(today, 7), "audience.type": "everyoneWithConsent" };
    }
    case "feedbackThanks":
      return { ...common, name: "Thanks for your feedback", "reward.type": "fixedAmount", "reward.amount": "5", validityDays: "30", oncePerCustomer: "true" };
  }
}

async function shopToday(shop: string) {
  const shopRow = await getShop(shop);
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  return { today: localDateAt(new Date(), timeZone), currencyCode: shopRow?.currencyCode ?? "USD" };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const url = new URL(request.url);
  const { today, currencyCode } = await shopToday(shop);
  const isNew = params.id === "new";
  const stored = isNew ? null : await getRule(shop, params.id ?? "");
  if (!isNew && !stored) throw new Response("Rule not found", { status: 404 });
  const requestedKind = url.searchParams.get("kind");
  const kind: RuleKind = stored?.rule.kind ?? ((RULE_KINDS as readonly string[]).includes(requestedKind ?? "") ? (requestedKind as RuleKind) : "birthday");
  const values = stored ? ruleToValues(stored.rule as unknown as Record<string, unknown>) : defaultsFor(kind, today, url.searchParams.get("preset"));
  return json({
    isNew,
    id: stored?.rule.id ?? null,
    kind,
    values,
    today,
    currencyCode,
    knownTiers: await knownTierNames(shop),
    segments: rewardSegmentOptions(),
    pausedReason: stored?.pausedReason ?? null,
    preview: stored ? await previewForShop(shop, stored.rule) : null,
    results: stored ? ((await ruleResults(shop, [stored.rule.id]))[0] ?? null) : null,
    recent: stored
      ? (await listIssuedForRule(shop, stored.rule.id, 20)).map((r) => ({
          id: r.id,
          customer: r.customerShopifyId,
          kind: r.kind,
          status: r.status,
          code: r.code,
          endsAt: r.endsAt?.toISOString() ?? null,
          redeemed: r.redeemedAt !== null,
          error: r.error,
        }))
      : [],
  });
};

type ActionData =
  | { ok: false; fieldErrors: FieldErrors; preview: null }
  | { ok: true; fieldErrors: FieldErrors; preview: Awaited<ReturnType<typeof previewForShop>> };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, redirect } = await authenticate.admin(request);
  const shop = session.shop;
  const isNew = params.id === "new";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");

  if (!isNew && !(await getRule(shop, params.id ?? ""))) throw new Response("Rule not found", { status: 404 });
  if (intent === "delete") {
    if (!isNew) await deleteRule(shop, params.id!);
    return redirect("/app/rules");
  }

  const { input, undeclared } = formToRuleInput(form.entries());
  if (undeclared.length) {
    const locale = resolveLocale(new URL(request.url).searchParams.get("locale"));
    const message = translate(locale, "form.unknownFields", { fields: undeclared.slice(0, 5).join(", ") });
    return json<ActionData>({ ok: false, fieldErrors: { [FORM_ERROR_KEY]: [message] }, preview: null }, { status: 400 });
  }
  const { today } = await shopToday(shop);
  const validation = validateRuleInput(input, {
    knownTiers: await knownTierNames(shop, isNew ? undefined : params.id),
    knownSegments: rewardSegmentOptions().map((s) => s.id),
    today,
  });
  if (!validation.ok) return json<ActionData>({ ok: false, fieldErrors: validation.fieldErrors, preview: null }, { status: 400 });

  if (intent === "preview") {
    const rule = isNew ? validation.rule : { ...validation.rule, id: params.id! };
    return json<ActionData>({ ok: true, fieldErrors: {}, preview: await previewForShop(shop, rule) });
  }
  if (isNew) {
    const id = await createRule(shop, validation.rule);
    return redirect(`/app/rules/${id}`);
  }
  await updateRule(shop, params.id!, validation.rule);
  return redirect(`/app/rules/${params.id}`);
};

const REWARD_OPTIONS = [
  { label: "Percentage off", value: "percentage" },
  { label: "Amount off", value: "fixedAmount" },
  { label: "Free shipping", value: "freeShipping" },
];

function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "–" : `${(rate * 100).toFixed(1)}%`;
}

export default function RulePage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [values, setValues] = useState<Values>(data.values);
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const busy = navigation.state !== "idle";
  const kind = (values.kind as RuleKind) ?? data.kind;

  const set = useCallback((key: string) => (value: string) => setValues((v) => ({ ...v, [key]: value })), []);
  const setBool = useCallback((key: string) => (checked: boolean) => setValues((v) => ({ ...v, [key]: String(checked) })), []);
  const error = (key: string) => {
    const list = Object.entries(errors)
      .filter(([k]) => k === key || (key === "reminders" && k.startsWith("reminders.")))
      .flatMap(([, messages]) => messages);
    return list.length ? list.join(" ") : undefined;
  };
  const field = (key: string, label: string, extra: Partial<ComponentProps<typeof TextField>> = {}) => (
    <TextField label={label} value={values[key] ?? ""} onChange={set(key)} error={error(key)} autoComplete="off" {...extra} />
  );
  const send = (intent: string) => submit({ ...values, intent }, { method: "post" });

  const tierIndexes = useMemo(
    () => [...new Set(Object.keys(values).map((k) => /^tiers\.(\d+)\./.exec(k)?.[1]).filter((x): x is string => x !== undefined).map(Number))].sort((a, b) => a - b),
    [values],
  );
  const removeTier = (index: number) =>
    setValues((v) => {
      const next: Values = {};
      for (const [k, val] of Object.entries(v)) {
        const m = /^tiers\.(\d+)\.(.*)$/.exec(k);
        if (!m) next[k] = val;
        else if (Number(m[1]) < index) next[k] = val;
        else if (Number(m[1]) > index) next[`tiers.${Number(m[1]) - 1}.${m[2]}`] = val;
      }
      return next;
    });
  const addTier = () => {
    const i = tierIndexes.length;
    setValues((v) => ({ ...v, [`tiers.${i}.name`]: "", [`tiers.${i}.threshold`]: "", [`tiers.${i}.reward.type`]: "none" }));
  };

  const rewardFields = (prefix: string, allowNone = false) => {
    const type = values[`${prefix}type`] ?? (allowNone ? "none" : "percentage");
    return (
      <FormLayout.Group>
        <Select
          label="Reward"
          options={allowNone ? [{ label: "No code (recognition only)", value: "none" }, ...REWARD_OPTIONS] : REWARD_OPTIONS}
          value={type}
          onChange={set(`${prefix}type`)}
          error={error(prefix.slice(0, -1))}
        />
        {type === "percentage" && field(`${prefix}percentage`, "Percentage off", { type: "number", suffix: "%" })}
        {type === "fixedAmount" && field(`${prefix}amount`, "Amount off", { type: "number", suffix: data.currencyCode })}
      </FormLayout.Group>
    );
  };

  const preview = actionData?.preview ?? data.preview;
  const results = data.results;
  const formError = errors[FORM_ERROR_KEY] ?? errors.kind;

  return (
    <Page
      title={data.isNew ? `New ${KIND_LABELS[kind].toLowerCase()} rule` : values.name || KIND_LABELS[kind]}
      subtitle={KIND_LABELS[kind]}
      backAction={{ content: "Rules", url: "/app/rules" }}
    >
      <Layout>
        {formError && (
          <Layout.Section>
            <Banner tone="critical" title="The rule can't be saved">
              <p>{formError.join(" ")}</p>
            </Banner>
          </Layout.Section>
        )}
        {actionData && !actionData.ok && !formError && (
          <Layout.Section>
            <Banner tone="critical" title="Some fields need attention">
              <p>Nothing was saved. Fix the fields marked below.</p>
            </Banner>
          </Layout.Section>
        )}
        {data.pausedReason && (
          <Layout.Section>
            <Banner tone="warning" title="This rule is paused">
              <p>{data.pausedReason}</p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <FormLayout>
                {data.isNew && (
                  <Select
                    label="Rule type"
                    options={RULE_KINDS.map((k) => ({ label: KIND_LABELS[k], value: k }))}
                    value={kind}
                    onChange={(k) => setValues(defaultsFor(k as RuleKind, data.today, null))}
                  />
                )}
                {field("name", "Name")}
                <Checkbox label="On" checked={values.enabled !== "false"} onChange={setBool("enabled")} error={error("enabled")} />
              </FormLayout>
            </Card>

            {kind === "loyaltyTiers" && (
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">Tiers</Text>
                  <FormLayout>
                    <FormLayout.Group>
                      <Select
                        label="Based on"
                        options={[
                          { label: "Net spend", value: "netSpend" },
                          { label: "Order count", value: "orderCount" },
                          { label: "Predicted CLV (12 months)", value: "predictedClv" },
                        ]}
                        value={values.metric ?? "netSpend"}
                        onChange={set("metric")}
                        error={error("metric")}
                      />
                      <Select
                        label="Over"
                        options={[
                          { label: "Lifetime", value: "lifetime" },
                          { label: "Last 12 months", value: "rolling12m" },
                        ]}
                        value={values.window ?? "lifetime"}
                        onChange={set("window")}
                        error={error("window")}
                        disabled={values.metric === "predictedClv"}
                      />
                    </FormLayout.Group>
                    <FormLayout.Group>
                      {field("graceDays", "Grace period before moving down", { type: "number", suffix: "days" })}
                      {field("validityDays", "Code valid for", { type: "number", suffix: "days" })}
                    </FormLayout.Group>
                    <Checkbox
                      label="One code per tier per customer, ever"
                      checked={values.oncePerCustomer !== "false"}
                      onChange={setBool("oncePerCustomer")}
                    />
                    {error("tiers") && <Text as="p" tone="critical">{error("tiers")}</Text>}
                    {tierIndexes.map((i) => (
                      <Card key={i} background="bg-surface-secondary">
                        <FormLayout>
                          <FormLayout.Group>
                            {field(`tiers.${i}.name`, `Tier ${i + 1} name`)}
                            {field(`tiers.${i}.threshold`, "Threshold", { type: "number" })}
                          </FormLayout.Group>
                          {rewardFields(`tiers.${i}.reward.`, true)}
                          {field(`tiers.${i}.minimumSubtotal`, "Minimum subtotal", { type: "number", suffix: data.currencyCode })}
                          <InlineStack align="end">
                            <Button tone="critical" variant="plain" onClick={() => removeTier(i)}>
                              Remove tier
                            </Button>
                          </InlineStack>
                        </FormLayout>
                      </Card>
                    ))}
                    <Button onClick={addTier} disabled={tierIndexes.length >= 10}>
                      Add tier
                    </Button>
                  </FormLayout>
                </BlockStack>
              </Card>
            )}

            {kind !== "loyaltyTiers" && (
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">Reward</Text>
                  <FormLayout>
                    {rewardFields("reward.")}
                    {field("minimumSubtotal", "Minimum subtotal", { type: "number", suffix: data.currencyCode, helpText: "Leave empty for none." })}
                  </FormLayout>
                </BlockStack>
              </Card>
            )}

            {kind === "birthday" && (
              <Card>
                <FormLayout>
                  <FormLayout.Group>
                    {field("windowDaysBefore", "Code valid from (days before the birthday)", { type: "number" })}
                    {field("windowDaysAfter", "Until (days after the birthday)", { type: "number" })}
                  </FormLayout.Group>
                  {field("reminders", "Reminder days", { helpText: "Days relative to the birthday, e.g. -7, -3, 0." })}
                  <Checkbox label="Last-chance reminder 2 days after" checked={values.lastChance === "true"} onChange={setBool("lastChance")} error={error("lastChance")} />
                </FormLayout>
              </Card>
            )}

            {kind === "winback" && (
              <Card>
                <FormLayout.Group>
                  {field("validityDays", "Code valid for", { type: "number", suffix: "days" })}
                  {field("cooldownDays", "No new offer within", { type: "number", suffix: "days" })}
                </FormLayout.Group>
              </Card>
            )}

            {kind === "holidayCampaign" && (
              <Card>
                <FormLayout>
                  <FormLayout.Group>
                    {field("startsAt", "Starts", { type: "date" })}
                    {field("endsAt", "Ends", { type: "date" })}
                  </FormLayout.Group>
                  <FormLayout.Group>
                    <Select
                      label="Who gets it"
                      options={[
                        { label: "Everyone who agreed to marketing", value: "everyoneWithConsent" },
                        { label: "A segment", value: "segment" },
                        { label: "A loyalty tier", value: "tier" },
                      ]}
                      value={values["audience.type"] ?? "everyoneWithConsent"}
                      onChange={set("audience.type")}
                      error={error("audience")}
                    />
                    {values["audience.type"] === "segment" && (
                      <Select
                        label="Segment"
                        options={[{ label: "Choose…", value: "" }, ...data.segments.map((s) => ({ label: s.label, value: s.id }))]}
                        value={values["audience.segmentId"] ?? ""}
                        onChange={set("audience.segmentId")}
                        error={error("audience.segmentId")}
                      />
                    )}
                    {values["audience.type"] === "tier" &&
                      field("audience.tier", "Tier", {
                        helpText: data.knownTiers.length ? `One of: ${data.knownTiers.join(", ")}` : "Set up loyalty tiers first.",
                      })}
                  </FormLayout.Group>
                </FormLayout>
              </Card>
            )}

            {kind === "feedbackThanks" && (
              <Card>
                <FormLayout>
                  {field("validityDays", "Code valid for", { type: "number", suffix: "days" })}
                  <Checkbox label="One thank-you per customer, ever" checked={values.oncePerCustomer !== "false"} onChange={setBool("oncePerCustomer")} />
                  <Text as="p" tone="subdued">Every response is thanked, whatever the score.</Text>
                </FormLayout>
              </Card>
            )}

            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">Guardrails</Text>
                <FormLayout>
                  <FormLayout.Group>
                    {field("budget.maxCount", "Monthly cap (codes)", { type: "number", helpText: "Leave empty for no cap." })}
                    {field("budget.maxAmount", "Monthly budget", { type: "number", suffix: data.currencyCode, helpText: "Estimated cost if every code is used." })}
                  </FormLayout.Group>
                  {field("holdoutShare", "Holdout group", {
                    type: "number",
                    suffix: "%",
                    helpText: "Eligible customers randomly withheld, to measure the rule's real effect (0–50%).",
                  })}
                </FormLayout>
              </BlockStack>
            </Card>

            <InlineStack align="end">
              <ButtonGroup>
                {!data.isNew && (
                  <Button tone="critical" onClick={() => send("delete")} disabled={busy}>
                    Delete
                  </Button>
                )}
                <Button onClick={() => send("preview")} loading={busy && navigation.formData?.get("intent") === "preview"}>
                  Preview
                </Button>
                <Button variant="primary" onClick={() => send("save")} loading={busy && navigation.formData?.get("intent") === "save"}>
                  Save
                </Button>
              </ButtonGroup>
            </InlineStack>
          </BlockStack>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {preview && (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">Today ({preview.today})</Text>
                  <Text as="p" variant="headingLg">
                    {preview.count === 1 ? "1 customer would get this today" : `${preview.count} customers would get this today`}
                  </Text>
                  <Text as="p">Cost if all are used: {preview.maxCost.toFixed(2)} {data.currencyCode}</Text>
                  {preview.heldOut > 0 && <Text as="p">{preview.heldOut} held out for measurement</Text>}
                  {preview.reminders > 0 && <Text as="p">{preview.reminders} reminders due</Text>}
                  {preview.pausedReason && <Banner tone="warning">{preview.pausedReason}</Banner>}
                </BlockStack>
              </Card>
            )}
            {results && (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">Results</Text>
                  <InlineGrid columns={2} gap="200">
                    <Text as="p">Issued</Text>
                    <Text as="p" alignment="end">{results.issued}</Text>
                    <Text as="p">Redeemed</Text>
                    <Text as="p" alignment="end">{results.redeemed} ({percent(results.redemptionRate)})</Text>
                    <Text as="p">Revenue</Text>
                    <Text as="p" alignment="end">{results.revenue.toFixed(2)} {data.currencyCode}</Text>
                  </InlineGrid>
                  {results.heldOut.customers > 0 ? (
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">Treated vs held out</Text>
                      <Text as="p">
                        Bought while the code was valid: {percent(results.treated.windowPurchaseRate)} vs {percent(results.heldOut.windowPurchaseRate)}
                      </Text>
                      <Text as="p">
                        Bought again within 90 days: {percent(results.treated.repeatRate)} vs {percent(results.heldOut.repeatRate)}
                      </Text>
                      <Text as="p" tone="subdued">
                        {results.treated.customers} treated, {results.heldOut.customers} held out.
                      </Text>
                    </BlockStack>
                  ) : (
                    <Text as="p" tone="subdued">Set a holdout group to see the rule&apos;s incremental effect.</Text>
                  )}
                </BlockStack>
              </Card>
            )}
            {data.recent.length > 0 && (
              <Card>
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">Latest</Text>
                  {data.recent.map((r) => (
                    <Text as="p" key={r.id} tone={r.status === "failed" ? "critical" : undefined}>
                      {r.kind === "holdout" ? "Held out" : r.kind === "remind" ? "Reminder" : r.code} · {r.status}
                      {r.redeemed ? " · redeemed" : ""}
                      {r.error ? ` · ${r.error}` : ""}
                    </Text>
                  ))}
                </BlockStack>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
