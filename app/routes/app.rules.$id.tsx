import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigate, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  ButtonGroup,
  Card,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Modal,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useCallback, useMemo, useState, type ComponentProps } from "react";
import { I18nProvider, useAppPath, useI18n } from "../components/I18n";
import { CombinesWithFields, KIND_FIELDS, OfferBFields } from "../components/rules/KindFields";
import { resolveLocale, translate, type Locale, type MessageKey } from "../i18n";
import { kindText, ruleErrorsText, rulesMessages } from "../i18n/rule-texts";
import { formatNumber, formatPercent, shopFormatter, type ShopFormatter } from "../formatting";
import { firstRunForShop, previewForShop } from "../jobs/issuance.server";
import { afterRuleChange } from "../jobs/kinship-segments.server";
import { adminClientForShop } from "../jobs/admin-for-shop.server";
import { listIssuedForRule } from "../models/issued-discounts.server";
import { holdoutPlanningInputs, ruleResults, type RuleExperiment, type RuleResult } from "../models/reward-results.server";
import { rewardSegmentOptions } from "../models/reward-customers.server";
import { createRule, deleteRule, getRule, knownTierNames, listRules, setRuleEnabled, updateRule } from "../models/rules.server";
import { loadShopScale } from "../models/shop-scale.server";
import { getShop } from "../models/shop.server";
import { issuanceStatus } from "../services/issuance-status.server";
import { IssuanceStatusCard } from "../components/IssuanceStatusCard";
import {
  FORM_ERROR_KEY,
  isRuleKind,
  localDateAt,
  MIN_COMPLETE_PER_ARM,
  PLANNING_LIFT,
  PLANNING_MONTHS,
  planHoldout,
  overlapErrors,
  rewardKind,
  RULE_KINDS,
  ruleSchemas,
  scaledDefaults,
  validateRuleInput,
  type FieldErrors,
  type RuleDraft,
  type RuleKind,
  type ScaledDefaults,
} from "../retention/rewards";
import { authenticate } from "../shopify.server";
import { setDeclaredField } from "../forms/schema-paths";
import { formatCalendarDate, formatMoney } from "../formatting";

/** Form values as flat dotted paths ("reward.percentage", "tiers.0.threshold"), the same paths field errors use. */
type Values = Record<string, string>;

const BOOLEAN_FIELDS = new Set([
  "enabled",
  "oncePerCustomer",
  "lastChance",
  "combinesWith.orderDiscounts",
  "combinesWith.productDiscounts",
  "combinesWith.shippingDiscounts",
]);
// Empty means "not set" for these (the budget caps say "Leave empty for no cap").
const OPTIONAL_TEXT_FIELDS = new Set(["presetId", "holidayDate", "reminderDaysBeforeEnd", "budget.maxCount", "budget.maxAmount"]);

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
    } else if (key === "offerB.share") {
      // Shown as a percentage of the eligible customers, like the holdout.
      const n = Number(value.trim());
      setPath(key, value.trim() === "" ? undefined : Number.isFinite(n) ? Math.round(n * 100) / 10_000 : value);
    } else if (key === "reminders") {
      const days = value.split(/[,\s]+/).filter(Boolean);
      if (days.length) raw.reminders = days;
    } else {
      setPath(key, value);
    }
  }
  // "No second offer": no A/B test.
  const offerB = raw.offerB as { reward?: { type?: unknown } } | undefined;
  if (offerB && (!offerB.reward || offerB.reward.type === "none" || offerB.reward.type === "")) raw.offerB = null;
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
  if (out["offerB.share"]) out["offerB.share"] = String(Math.round(Number(out["offerB.share"]) * 10_000) / 100);
  for (const key of Object.keys(out)) {
    const tier = /^(tiers\.\d+\.)name$/.exec(key);
    if (tier && !(`${tier[1]}reward.type` in out)) out[`${tier[1]}reward.type`] = "none";
  }
  return out;
}

/**
 * A new rule's form: the kind's defaults (money figures scaled to the shop), with its name (and any
 * other words) in the admin's language. New rules are drafts: only the confirmation turns one on.
 */
function defaultsFor(kind: RuleKind, today: string, presetId: string | null, locale: Locale, scale: ScaledDefaults): Values {
  const module = rewardKind(kind);
  const values: Values = {
    kind,
    enabled: "false",
    holdoutShare: "0",
    "budget.maxCount": "",
    "budget.maxAmount": "",
    ...module.formDefaults(today, { presetId, scale }),
  };
  values.name = kindText(locale, kind, "defaultName");
  for (const [path, text] of Object.entries(module.formTexts?.(values) ?? {})) values[path] = kindText(locale, kind, text);
  return values;
}

/** "Lifecycle: Loyal", "RFM: Champions" in the admin's language (segment ids are `lifecycle:<group>` / `rfm:<segment>`). */
function segmentLabel(id: string, locale: Locale): string | null {
  const [family, name] = id.split(":");
  if (family === "lifecycle")
    return translate(locale, "rules.segment.lifecycle", { name: translate(locale, `lifecycle.${name}` as MessageKey) });
  if (family === "rfm") return translate(locale, "rules.segment.rfm", { name: translate(locale, `rfm.segment.${name}` as MessageKey) });
  return null;
}

async function shopToday(shop: string) {
  const shopRow = await getShop(shop);
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  return { today: localDateAt(new Date(), timeZone), currencyCode: shopRow?.currencyCode ?? "USD", timeZone };
}

/** A preview with its maximum cost written by the one money formatter (server-side, as every page's money). */
async function previewWithText(shop: string, rule: Parameters<typeof previewForShop>[1], locale: Locale) {
  const preview = await previewForShop(shop, rule);
  const { currencyCode } = await shopToday(shop);
  return { ...preview, maxCostText: formatMoney(preview.maxCost, { locale, currency: currencyCode }) };
}

/** The confirmation's figures: the first run's dry run, in the shop's currency and the admin's language. */
async function turnOnConfirmation(shop: string, id: string, locale: Locale, currency: string, timeZone: string) {
  const run = await firstRunForShop(shop, id);
  if (!run) return null;
  const f = shopFormatter({ locale, currency, timeZone });
  return {
    audience: f.number(run.audience),
    codes: f.number(run.count),
    maxCost: f.money(run.maxCost),
    heldOut: run.heldOut > 0 ? f.number(run.heldOut) : null,
    capped: run.capped > 0 ? f.number(run.capped) : null,
    withheldByBudget: run.withheldByBudget > 0 ? f.number(run.withheldByBudget) : null,
    runsOn: f.calendarDate(run.runsOn),
    today: run.runsOn === localDateAt(new Date(), timeZone),
  };
}

/** Rule-of-a-kind overlaps with the shop's other rules (a second tier programme, a second win-back), in the admin's language. */
async function overlapsText(shop: string, draft: RuleDraft, exceptId: string | null, locale: Locale): Promise<FieldErrors> {
  const others = (await listRules(shop)).rules.map((s) => s.rule).filter((r) => r.id !== exceptId);
  return ruleErrorsText(overlapErrors(draft, others), locale);
}

/** An experiment's verdict and intervals, written with the shop's formatter (points with one decimal, money in its currency). */
function estimateFigures(experiment: RuleExperiment, f: ShopFormatter) {
  const points = (x: number) => f.number(x * 100, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const rate = experiment.purchaseRate;
  const revenue = experiment.revenuePerCustomer;
  return {
    state: experiment.state,
    rate: rate ? { difference: points(rate.difference), lower: points(rate.lower), upper: points(rate.upper) } : null,
    revenue: revenue ? { difference: f.money(revenue.difference), lower: f.money(revenue.lower), upper: f.money(revenue.upper) } : null,
  };
}

/** The holdout experiment and, for an A/B rule, offer B against offer A. */
function experimentFigures(result: RuleResult, f: ShopFormatter) {
  const experiment = result.experiment;
  const offers = result.offers;
  if (!experiment && !offers) return null;
  return {
    ...(experiment ? estimateFigures(experiment, f) : { state: null, rate: null, revenue: null }),
    treated: f.number(result.treated.complete),
    heldOut: f.number(result.heldOut.complete),
    offers: offers ? { ...estimateFigures(offers.bVersusA, f), a: f.number(offers.a.complete), b: f.number(offers.b.complete) } : null,
  };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const url = new URL(request.url);
  const locale = resolveLocale(url.searchParams.get("locale"));
  const { today, currencyCode, timeZone } = await shopToday(shop);
  const isNew = params.id === "new";
  const stored = isNew ? null : await getRule(shop, params.id ?? "");
  if (!isNew && !stored) throw new Response("Rule not found", { status: 404 });
  const requestedKind = url.searchParams.get("kind");
  const kind: RuleKind = stored?.rule.kind ?? (isRuleKind(requestedKind) ? requestedKind : RULE_KINDS[0]);
  const scale = isNew ? scaledDefaults(await loadShopScale(shop)) : {};
  const values = stored
    ? ruleToValues(stored.rule as unknown as Record<string, unknown>)
    : defaultsFor(kind, today, url.searchParams.get("preset"), locale, scale as ScaledDefaults);
  // "Turn on…" (here or from the list) opens the confirmation with the first run's figures.
  const confirmTurnOn = stored && !stored.rule.enabled && url.searchParams.get("turnOn") === "1";
  const results = stored ? ((await ruleResults(shop, [stored.rule.id]))[0] ?? null) : null;
  return json({
    locale,
    messages: rulesMessages(locale),
    // Defaults of every kind, for switching the type of a new rule in the browser.
    defaults: isNew ? Object.fromEntries(RULE_KINDS.map((k) => [k, defaultsFor(k, today, null, locale, scale as ScaledDefaults)])) : {},
    isNew,
    id: stored?.rule.id ?? null,
    enabled: stored?.rule.enabled ?? false,
    confirmation: confirmTurnOn ? await turnOnConfirmation(shop, stored.rule.id, locale, currencyCode, timeZone) : null,
    kind,
    values,
    today,
    currencyCode,
    knownTiers: await knownTierNames(shop),
    segments: rewardSegmentOptions().map((s) => ({ id: s.id, label: segmentLabel(s.id, locale) ?? s.label })),
    pausedReason: stored?.pausedReason ?? null,
    preview: stored ? await previewWithText(shop, stored.rule, locale) : null,
    issuance: stored
      ? await issuanceStatus(shop, shopFormatter({ locale, currency: currencyCode, timeZone }), { ruleId: stored.rule.id })
      : null,
    results: results ? { ...results, revenueText: formatMoney(results.revenue, { locale, currency: currencyCode }) } : null,
    experiment: results ? experimentFigures(results, shopFormatter({ locale, currency: currencyCode, timeZone })) : null,
    // What a holdout of any size would show for this rule's volume (the form recomputes it as the share is typed).
    planning: stored ? await holdoutPlanningInputs(shop, stored.rule.id, results) : null,
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
  | { ok: true; fieldErrors: FieldErrors; preview: Awaited<ReturnType<typeof previewWithText>> };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, redirect } = await authenticate.admin(request);
  const shop = session.shop;
  const isNew = params.id === "new";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");
  const locale = resolveLocale(new URL(request.url).searchParams.get("locale"));
  // Where the page goes next keeps the admin's language (Shopify passes ?locale= only on the first load).
  const to = (path: string) => `${path}?locale=${locale}`;

  const before = isNew ? null : await getRule(shop, params.id ?? "");
  if (!isNew && !before) throw new Response("Rule not found", { status: 404 });
  if (intent === "delete") {
    if (!isNew && (await deleteRule(shop, params.id!))) await afterRuleChange(shop, before?.rule.kind, () => adminClientForShop(shop));
    return redirect(to("/app/rules"));
  }
  if (intent === "turnOn") return turnOn(shop, params.id!, form, locale, () => redirect(to(`/app/rules/${params.id}`)));

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
  if (!validation.ok) {
    return json<ActionData>({ ok: false, fieldErrors: ruleErrorsText(validation.fieldErrors, locale), preview: null }, { status: 400 });
  }

  if (intent === "preview") {
    const rule = isNew ? validation.rule : { ...validation.rule, id: params.id! };
    return json<ActionData>({ ok: true, fieldErrors: {}, preview: await previewWithText(shop, rule, locale) });
  }
  // Saving never turns a rule on: a new rule is a draft, an edit keeps the rule's state.
  const stored = isNew ? null : await getRule(shop, params.id!);
  const draft = { ...validation.rule, enabled: stored?.rule.enabled ?? false } as RuleDraft;
  const overlaps = await overlapsText(shop, draft, stored?.rule.id ?? null, locale);
  if (Object.keys(overlaps).length) return json<ActionData>({ ok: false, fieldErrors: overlaps, preview: null }, { status: 409 });
  if (isNew) {
    const id = await createRule(shop, draft);
    await afterRuleChange(shop, draft.kind, () => adminClientForShop(shop));
    return redirect(to(`/app/rules/${id}`));
  }
  await updateRule(shop, params.id!, draft);
  await afterRuleChange(shop, draft.kind, () => adminClientForShop(shop));
  return redirect(to(`/app/rules/${params.id}`));
};

/** Turns a draft on, only with the merchant's explicit confirmation of the first run's figures. */
async function turnOn(shop: string, id: string, form: FormData, locale: Locale, done: () => Response) {
  if (form.get("confirmed") !== "yes") {
    return json<ActionData>(
      { ok: false, fieldErrors: { [FORM_ERROR_KEY]: [translate(locale, "rules.confirm.required")] }, preview: null },
      { status: 400 },
    );
  }
  const stored = await getRule(shop, id);
  if (!stored) throw new Response("Rule not found", { status: 404 });
  const overlaps = await overlapsText(shop, stored.rule, id, locale);
  if (Object.keys(overlaps).length) return json<ActionData>({ ok: false, fieldErrors: overlaps, preview: null }, { status: 409 });
  await setRuleEnabled(shop, id, true);
  return done();
}

/** The rule's results so far, with its revenue written by the one money formatter. */
function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "–" : `${(rate * 100).toFixed(1)}%`;
}

export default function RulePage() {
  const data = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={data.locale ?? "en"} messages={data.messages ?? {}}>
      <RuleForm />
    </I18nProvider>
  );
}

function RuleForm() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const navigate = useNavigate();
  const { t, tp, locale } = useI18n();
  const path = useAppPath();
  const [values, setValues] = useState<Values>(data.values);
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const busy = navigation.state !== "idle";
  const kind: RuleKind = isRuleKind(values.kind) ? values.kind : data.kind;
  const kindName = t(`rules.kind.${kind}`);

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
    () =>
      [
        ...new Set(
          Object.keys(values)
            .map((k) => /^tiers\.(\d+)\./.exec(k)?.[1])
            .filter((x): x is string => x !== undefined)
            .map(Number),
        ),
      ].sort((a, b) => a - b),
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

  const preview = actionData?.preview ?? data.preview;
  const results = data.results;
  const formError = errors[FORM_ERROR_KEY] ?? errors.kind;
  const Fields = KIND_FIELDS[kind];
  const fieldProps = {
    values,
    set,
    setBool,
    error,
    field,
    currencyCode: data.currencyCode,
    knownTiers: data.knownTiers,
    segments: data.segments,
    tierIndexes,
    addTier,
    removeTier,
  };

  const confirmation = data.confirmation;
  const experiment = data.experiment;
  const planning = data.planning;
  const holdoutPlan =
    planning && planning.baseRate !== null && planning.eligiblePerMonth > 0
      ? planHoldout(planning.baseRate, planning.eligiblePerMonth, Number(values.holdoutShare) / 100)
      : null;
  const points = (x: number) => formatNumber(x * 100, resolveLocale(locale), { maximumFractionDigits: 1 });
  return (
    <Page
      title={data.isNew ? t("rules.page.newTitle", { kind: kindName }) : values.name || kindName}
      subtitle={kindName}
      backAction={{ content: t("rules.page.back"), url: path("/app/rules") }}
    >
      {confirmation && (
        <Modal
          open
          title={t("rules.confirm.title", { name: values.name || kindName })}
          onClose={() => navigate(path(`/app/rules/${data.id}`))}
          primaryAction={{
            content: t("rules.confirm.turnOn"),
            loading: busy,
            onAction: () => submit({ intent: "turnOn", confirmed: "yes" }, { method: "post" }),
          }}
          secondaryActions={[{ content: t("rules.confirm.keepDraft"), onAction: () => navigate(path(`/app/rules/${data.id}`)) }]}
        >
          <Modal.Section>
            <BlockStack gap="200">
              <Text as="p">{t("rules.confirm.intro")}</Text>
              <InlineGrid columns={2} gap="200">
                <Text as="p">{t("rules.confirm.audience")}</Text>
                <Text as="p" alignment="end">
                  {confirmation.audience}
                </Text>
                <Text as="p">{t("rules.confirm.codes")}</Text>
                <Text as="p" alignment="end" fontWeight="bold">
                  {confirmation.codes}
                </Text>
                <Text as="p">{t("rules.confirm.maxCost")}</Text>
                <Text as="p" alignment="end" fontWeight="bold">
                  {confirmation.maxCost}
                </Text>
                {confirmation.heldOut && <Text as="p">{t("rules.confirm.heldOut")}</Text>}
                {confirmation.heldOut && (
                  <Text as="p" alignment="end">
                    {confirmation.heldOut}
                  </Text>
                )}
                {confirmation.capped && <Text as="p">{t("rules.confirm.capped")}</Text>}
                {confirmation.capped && (
                  <Text as="p" alignment="end">
                    {confirmation.capped}
                  </Text>
                )}
                {confirmation.withheldByBudget && <Text as="p">{t("rules.confirm.withheldByBudget")}</Text>}
                {confirmation.withheldByBudget && (
                  <Text as="p" alignment="end">
                    {confirmation.withheldByBudget}
                  </Text>
                )}
              </InlineGrid>
              <Text as="p">
                {confirmation.today
                  ? t("rules.confirm.whenToday", { date: confirmation.runsOn })
                  : t("rules.confirm.whenLater", { date: confirmation.runsOn })}
              </Text>
            </BlockStack>
          </Modal.Section>
        </Modal>
      )}
      <Layout>
        {formError && (
          <Layout.Section>
            <Banner tone="critical" title={t("rules.page.cantSave")}>
              <p>{formError.join(" ")}</p>
            </Banner>
          </Layout.Section>
        )}
        {actionData && !actionData.ok && !formError && (
          <Layout.Section>
            <Banner tone="critical" title={t("rules.page.fieldsNeedAttention")}>
              <p>{t("form.fixErrors")}</p>
            </Banner>
          </Layout.Section>
        )}
        {data.pausedReason && (
          <Layout.Section>
            <Banner tone="warning" title={t("rules.page.paused")}>
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
                    label={t("rules.field.kind")}
                    options={RULE_KINDS.map((k) => ({ label: t(`rules.kind.${k}`), value: k }))}
                    value={kind}
                    onChange={(k) => isRuleKind(k) && setValues((data.defaults as Record<string, Values>)[k] ?? { kind: k })}
                  />
                )}
                {field("name", t("rules.field.name"))}
                <InlineStack gap="200" blockAlign="center">
                  <Text as="p" tone={data.enabled ? undefined : "subdued"}>
                    {data.enabled ? t("rules.page.on") : t("rules.page.draft")}
                  </Text>
                  {!data.isNew && !data.enabled && (
                    <Button url={path(`/app/rules/${data.id}`, { turnOn: "1" })} disabled={busy}>
                      {t("rules.action.turnOn")}
                    </Button>
                  )}
                </InlineStack>
              </FormLayout>
            </Card>

            <Fields {...fieldProps} />

            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  {t("rules.guardrails.title")}
                </Text>
                <FormLayout>
                  <FormLayout.Group>
                    {field("budget.maxCount", t("rules.guardrails.maxCount"), { type: "number", helpText: t("rules.help.emptyForNoCap") })}
                    {field("budget.maxAmount", t("rules.guardrails.maxAmount"), {
                      type: "number",
                      suffix: data.currencyCode,
                      helpText: t("rules.guardrails.maxAmountHelp"),
                    })}
                  </FormLayout.Group>
                  {field("holdoutShare", t("rules.guardrails.holdout"), {
                    type: "number",
                    suffix: "%",
                    helpText: t("rules.guardrails.holdoutHelp"),
                  })}
                  {planning && planning.eligiblePerMonth === 0 && (
                    <Text as="p" tone="subdued">
                      {t("rules.plan.noVolume")}
                    </Text>
                  )}
                  {planning && planning.baseRate !== null && planning.eligiblePerMonth > 0 && (
                    <BlockStack gap="100">
                      <Text as="p" tone="subdued">
                        {t("rules.plan.volume", {
                          eligible: formatNumber(planning.eligiblePerMonth, resolveLocale(locale)),
                          rate: formatPercent(planning.baseRate, resolveLocale(locale), 1),
                          source: t(planning.baseRateSource === "rule" ? "rules.plan.source.rule" : "rules.plan.source.shop"),
                        })}
                      </Text>
                      {holdoutPlan && (
                        <Text as="p" tone="subdued">
                          {holdoutPlan.minimumDetectableEffect === null
                            ? t("rules.plan.mdeNone", { months: PLANNING_MONTHS })
                            : t("rules.plan.mde", { months: PLANNING_MONTHS, points: points(holdoutPlan.minimumDetectableEffect) })}{" "}
                          {holdoutPlan.monthsToDetect !== null &&
                            t("rules.plan.runLength", {
                              points: points(PLANNING_LIFT),
                              runMonths: formatNumber(holdoutPlan.monthsToDetect, resolveLocale(locale)),
                            })}
                        </Text>
                      )}
                    </BlockStack>
                  )}
                  <OfferBFields {...fieldProps} kind={kind} />
                  <CombinesWithFields kind={kind} values={values} setBool={setBool} error={error} />
                </FormLayout>
              </BlockStack>
            </Card>

            <InlineStack align="end">
              <ButtonGroup>
                {!data.isNew && (
                  <Button tone="critical" onClick={() => send("delete")} disabled={busy}>
                    {t("rules.action.delete")}
                  </Button>
                )}
                <Button onClick={() => send("preview")} loading={busy && navigation.formData?.get("intent") === "preview"}>
                  {t("rules.action.preview")}
                </Button>
                <Button variant="primary" onClick={() => send("save")} loading={busy && navigation.formData?.get("intent") === "save"}>
                  {t("rules.action.save")}
                </Button>
              </ButtonGroup>
            </InlineStack>
          </BlockStack>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {data.issuance && <IssuanceStatusCard status={data.issuance} title={t("issued.ruleTitle")} controls={false} />}
            {preview && (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {preview.day === preview.today
                      ? t("rules.preview.today", { date: formatCalendarDate(preview.today, resolveLocale(locale)) })
                      : t("rules.preview.firstDay", { date: formatCalendarDate(preview.day, resolveLocale(locale)) })}
                  </Text>
                  <Text as="p" variant="headingLg">
                    {tp(preview.day === preview.today ? "rules.preview.count" : "rules.preview.countOnFirstDay", preview.count)}
                  </Text>
                  <Text as="p">{t("rules.preview.maxCost", { amount: preview.maxCostText })}</Text>
                  {preview.heldOut > 0 && <Text as="p">{tp("rules.preview.heldOut", preview.heldOut)}</Text>}
                  {preview.offerB > 0 && (
                    <Text as="p">{t("rules.preview.offerB", { count: formatNumber(preview.offerB, resolveLocale(locale)) })}</Text>
                  )}
                  {preview.reminders > 0 && <Text as="p">{tp("rules.preview.reminders", preview.reminders)}</Text>}
                  {preview.pausedReason && <Banner tone="warning">{preview.pausedReason}</Banner>}
                </BlockStack>
              </Card>
            )}
            {results && (
              <Card>
                <BlockStack gap="200">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {t("rules.results.title")}
                    </Text>
                    {data.id && (
                      <Button variant="plain" url={path(`/app/rules/${data.id}/results`)}>
                        {t("rules.resultsPage.open")}
                      </Button>
                    )}
                  </InlineStack>
                  <InlineGrid columns={2} gap="200">
                    <Text as="p">{t("rules.results.issued")}</Text>
                    <Text as="p" alignment="end">
                      {results.issued}
                    </Text>
                    <Text as="p">{t("rules.results.redeemed")}</Text>
                    <Text as="p" alignment="end">
                      {`${results.redeemed} (${percent(results.redemptionRate)})`}
                    </Text>
                    <Text as="p">{t("rules.results.revenue")}</Text>
                    <Text as="p" alignment="end">
                      {results.revenueText}
                    </Text>
                  </InlineGrid>
                  {results.heldOut.customers > 0 ? (
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        {t("rules.results.treatedVsHeldOut")}
                      </Text>
                      {experiment && (
                        <BlockStack gap="100">
                          <Text
                            as="p"
                            variant="headingMd"
                            tone={experiment.state === "works" ? "success" : experiment.state === "hurts" ? "critical" : undefined}
                          >
                            {t(`rules.results.state.${experiment.state}`)}
                          </Text>
                          <Text as="p" tone="subdued">
                            {t(`rules.results.stateHelp.${experiment.state}`, { min: MIN_COMPLETE_PER_ARM })}
                          </Text>
                          {experiment.rate && <Text as="p">{t("rules.results.rateDifference", experiment.rate)}</Text>}
                          {experiment.revenue && <Text as="p">{t("rules.results.revenueDifference", experiment.revenue)}</Text>}
                          <Text as="p" tone="subdued">
                            {t("rules.results.measured", { treated: experiment.treated, heldOut: experiment.heldOut })}
                          </Text>
                          <Text as="p" tone="subdued">
                            {t("rules.results.method")}
                          </Text>
                        </BlockStack>
                      )}
                      <Text as="p">
                        {t("rules.results.windowPurchase", {
                          treated: percent(results.treated.windowPurchaseRate),
                          heldOut: percent(results.heldOut.windowPurchaseRate),
                        })}
                      </Text>
                      <Text as="p">
                        {t("rules.results.repeat", {
                          treated: percent(results.treated.repeatRate),
                          heldOut: percent(results.heldOut.repeatRate),
                        })}
                      </Text>
                      <Text as="p" tone="subdued">
                        {t("rules.results.groups", { treated: results.treated.customers, heldOut: results.heldOut.customers })}
                      </Text>
                    </BlockStack>
                  ) : (
                    <Text as="p" tone="subdued">
                      {t("rules.results.noHoldout")}
                    </Text>
                  )}
                  {experiment?.offers && results.offers && (
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        {t("rules.results.offers.title")}
                      </Text>
                      <Text
                        as="p"
                        variant="headingMd"
                        tone={
                          experiment.offers.state === "noDetectableEffect" || experiment.offers.state === "tooEarly" ? undefined : "success"
                        }
                      >
                        {t(`rules.results.offers.state.${experiment.offers.state}`)}
                      </Text>
                      {experiment.offers.rate && <Text as="p">{t("rules.results.rateDifference", experiment.offers.rate)}</Text>}
                      {experiment.offers.revenue && <Text as="p">{t("rules.results.revenueDifference", experiment.offers.revenue)}</Text>}
                      <Text as="p">
                        {t("rules.results.offers.windowPurchase", {
                          a: percent(results.offers.a.windowPurchaseRate),
                          b: percent(results.offers.b.windowPurchaseRate),
                        })}
                      </Text>
                      <Text as="p" tone="subdued">
                        {t("rules.results.offers.measured", { a: experiment.offers.a, b: experiment.offers.b, min: MIN_COMPLETE_PER_ARM })}
                      </Text>
                    </BlockStack>
                  )}
                </BlockStack>
              </Card>
            )}
            {data.recent.length > 0 && (
              <Card>
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    {t("rules.recent.title")}
                  </Text>
                  {data.recent.map((r) => (
                    <Text as="p" key={r.id} tone={r.status === "failed" ? "critical" : undefined}>
                      {[
                        r.kind === "holdout" ? t("rules.recent.heldOut") : r.kind === "remind" ? t("rules.recent.reminder") : r.code,
                        t(`rules.status.${r.status}`),
                        r.redeemed ? t("rules.recent.redeemed") : null,
                        r.error,
                      ]
                        .filter(Boolean)
                        .join(" · ")}
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

export { RouteError as ErrorBoundary } from "../components/RouteError";
