import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { LifecycleGroup } from "../retention/segments/lifecycle";
import { getShop } from "../models/shop.server";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Card,
  EmptyState,
  FooterHelp,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
  Tooltip,
} from "@shopify/polaris";
import { refreshShopInfo } from "../jobs/on-install.server";
import { figuresShownWithTime } from "../jobs/dashboard-figures.server";
import { dashboardView } from "../models/views/dashboard-views.server";
import { translate, translatePlural } from "../i18n";
import { shopFormatter } from "../formatting";
import { lifecycleGroupDefinitions, pageContext, pageMessages } from "../services/page-context.server";
import { runBackfillAction, syncStatusProps } from "../services/sync-status.server";
import { issuanceAction, issuanceStatus } from "../services/issuance-status.server";
import { I18nProvider, useAppPath, useI18n } from "../components/I18n";
import { SyncStatusCard } from "../components/SyncStatusCard";
import { IssuanceStatusCard } from "../components/IssuanceStatusCard";
import { ReachHealthCard, type HealthItem } from "../components/ReachHealthCard";
import { reachHealth, type ReachHealth } from "../services/reach-health.server";
import type { Locale } from "../i18n";
import { RoiWhatIfCard } from "../components/RoiWhatIfCard";
import { KinshipBarChart, KinshipDonutChart, KinshipLineChart } from "../components/charts/Charts";
import { chartStylesLink } from "../components/charts/styles";
import { MetricTile } from "../components/MetricTile";
import { repeatBuyerProgress } from "../retention/score";
import type { DataRulesView, ModelChoiceView, ModelView } from "../models/model-state.server";
import { dayNumber, dayString } from "../retention/time";
import { EMPTY_STATE_IMAGE, LIFECYCLE_COLORS } from "../components/lifecycle";
import { ForecastAccuracyCard } from "../components/ForecastAccuracyCard";
import { forecastReport } from "../services/forecast-report.server";

export const links = () => [chartStylesLink];

// Name, currency and time zone change rarely; re-read them from Shopify at most this often.
const SHOP_INFO_MAX_AGE_MS = 6 * 60 * 60_000;

async function currentShopInfo(session: { shop: string; accessToken?: string }) {
  const stored = await getShop(session.shop);
  if (stored?.name && Date.now() - stored.updatedAt.getTime() < SHOP_INFO_MAX_AGE_MS) return stored;
  try {
    return await refreshShopInfo({ shop: session.shop, accessToken: session.accessToken ?? "" });
  } catch (error) {
    // Shopify unreachable: the stored copy (or the domain) is good enough to show the page.
    console.error("shop info refresh failed", session.shop, error);
    return stored;
  }
}

/** The health card's warnings, each with its count and fix, and the freshness lines, in the admin's language. */
function healthProps(h: ReachHealth, locale: Locale, f: ReturnType<typeof shopFormatter>) {
  const items: HealthItem[] = [];
  const warn = (id: HealthItem["id"], count: number) =>
    items.push({
      id,
      title: translate(locale, `dashboard.health.${id}.title`),
      count: translate(locale, `dashboard.health.${id}.count`, { count: f.number(count) }),
      fix: translate(locale, `dashboard.health.${id}.fix`),
    });
  const withheldNoChannel = h.withheld.filter((w) => w.reason === "noDeliveryChannel").reduce((n, w) => n + w.count, 0);
  // The "My rewards" page in use reaches customers without Flow (docs/decisions/026).
  if (!h.flowWorkflow && !h.customerAccountPage.inUse && (h.rulesNeedingFlow > 0 || withheldNoChannel > 0))
    warn("noFlow", withheldNoChannel);
  if (h.consentExcluded > 0) warn("consent", h.consentExcluded);
  if (h.refusedLastWeek > 0) warn("refused", h.refusedLastWeek);
  const status = (s: string | null) =>
    translate(locale, `dashboard.health.status.${s === "failed" || s === "running" || s === "importing" ? s : "completed"}`);
  const freshness = [
    h.lastSyncAt
      ? translate(locale, "dashboard.health.lastSync", { when: f.dateTime(h.lastSyncAt), status: status(h.lastSyncStatus) })
      : translate(locale, "dashboard.health.neverSynced"),
    h.lastDailyRunAt
      ? translate(locale, "dashboard.health.lastRun", { when: f.dateTime(h.lastDailyRunAt), status: status(h.lastDailyRunStatus) })
      : translate(locale, "dashboard.health.neverRun"),
  ];
  const page = h.customerAccountPage;
  const rewardsPage = {
    inUse: page.inUse,
    line: page.inUse
      ? translate(locale, "dashboard.health.rewardsPage.inUse", { first: f.date(page.firstLoadedAt!), last: f.date(page.lastLoadedAt!) })
      : page.lastLoadedAt
        ? translate(locale, "dashboard.health.rewardsPage.stale", { last: f.date(page.lastLoadedAt) })
        : translate(locale, "dashboard.health.rewardsPage.never"),
  };
  return { items, freshness, rewardsPage };
}

/**
 * The data rules (retention/clv/cleaning.ts) that changed what the last full run counted, one sentence each. Duplicate
 * rows and isolated late dates cannot occur in the app (orders are keyed by id; the period ends today).
 */
/**
 * Issue 19 "model choice" on the accuracy card: the model customers are scored with, why, and each candidate's
 * errors on the validation window (decision 017). Null before the first run that made a choice.
 */
function modelChoiceProps(choice: ModelChoiceView | null, locale: Locale, f: ReturnType<typeof shopFormatter>) {
  if (!choice) return null;
  const name = (model: ModelChoiceView["candidates"][number]["model"]) => translate(locale, `insights.model.${model}`);
  const period = choice.window
    ? `${f.calendarDate(dayString(dayNumber(choice.window.fitEnd) + 1))} – ${f.calendarDate(choice.window.calibrationEnd)}`
    : "";
  const margin = f.number(choice.margin, { maximumFractionDigits: 2 });
  const title =
    choice.chosen === "historic"
      ? translate(locale, "insights.modelHistoric", { period })
      : choice.reason === "not-validated"
        ? translate(locale, "insights.modelNotValidated", { model: name(choice.chosen) })
        : translate(locale, "insights.modelChosen", { model: name(choice.chosen) });
  const why =
    choice.reason === "beats-bgnbd" || choice.reason === "bgnbd-best"
      ? translate(locale, `insights.modelWhy.${choice.reason}`, { margin, period })
      : null;
  const candidates = choice.candidates.map((c) =>
    c.status === "scored"
      ? translate(locale, "insights.modelCandidate", {
          model: name(c.model),
          relative: f.percent(c.relativeMae, 0),
          bias: f.percent(c.aggregateBias, 1),
        })
      : translate(locale, "insights.modelRefused", {
          model: name(c.model),
          problem: translate(locale, `insights.modelProblem.${c.problem}`),
        }),
  );
  return { title, why, candidates };
}

/** When customers are scored with Pareto/NBD or MBG/NBD, the ranges still come from BG/NBD: say so (decision 017). */
function rangeSource(model: ModelView | null, locale: Locale): string | null {
  if (model?.status !== "fitted" || !model.purchase) return null;
  return translate(locale, "forecast.rangeFromBgnbd", { model: translate(locale, `insights.model.${model.purchase.model}`) });
}

function dataRulesProps(rules: DataRulesView | null, locale: Locale, f: ReturnType<typeof shopFormatter>) {
  if (!rules) return [];
  const cap = rules.spendCap === null ? "" : f.money(rules.spendCap);
  const date = rules.latestFutureDate ? f.calendarDate(rules.latestFutureDate) : "";
  return (["nonPurchaseDays", "customersWithoutPurchase", "futureDatedLines", "cappedDays"] as const)
    .filter((rule) => rules[rule] > 0)
    .map((rule) => ({ rule, text: translatePlural(locale, `insights.dataRules.${rule}`, rules[rule], { cap, date }) }));
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await pageContext(request);
  const { locale, format, shop } = ctx;
  const info = await currentShopInfo(ctx.session);
  // The context read the row before a possible refresh; use the fresh currency and zone.
  const formatCtx = info ? { ...ctx, currency: info.currencyCode, timeZone: info.ianaTimezone } : ctx;
  const f = info ? shopFormatter({ locale, currency: info.currencyCode, timeZone: info.ianaTimezone }) : format;
  const [view, definitions, issuance, health, forecastMonths] = await Promise.all([
    dashboardView(shop),
    lifecycleGroupDefinitions({ shop, locale, format: f }),
    issuanceStatus(shop, f),
    reachHealth(shop),
    forecastReport(shop, locale, formatCtx.currency, f),
  ]);
  const { live, model } = view;

  const predicted = model.insights?.predictedRevenue12Months ?? null;
  const roi = model.insights?.retentionRoi;
  const backtest = model.backtest;
  const lifecycleTotal = view.lifecycle.reduce((sum, g) => sum + g.count, 0);

  return json({
    locale,
    messages: pageMessages(locale, ["dashboard", "sync", "insights", "lifecycle", "rewards", "nps", "issued", "forecast"]),
    title: translate(locale, "dashboard.title"),
    shopName: info?.name ?? null,
    welcome: translate(locale, "dashboard.welcome", { shop: info?.name ?? shop }),
    currency: translate(locale, "dashboard.currency", { currency: formatCtx.currency, timezone: formatCtx.timeZone }),
    sync: syncStatusProps(view.sync, f),
    issuance,
    health: healthProps(health, locale, f),
    hasCustomers: live.customers > 0,
    // The customer figures are stored (counted after an import, a recompute, and soon after webhooks): said with
    // their time unless counted within the last minute with no refresh waiting here.
    figuresAsOf: figuresShownWithTime(shop, view.figuresAsOf)
      ? translate(locale, "dashboard.figuresAsOf", { when: f.dateTime(view.figuresAsOf) })
      : null,
    live: {
      customers: f.number(live.customers),
      buyers: f.number(live.buyers),
      returning: f.number(live.returning),
      repeatRate: live.repeatPurchaseRate === null ? null : f.percent(live.repeatPurchaseRate, 1),
      top20: live.top20RevenueShare === null ? null : f.percent(live.top20RevenueShare, 1),
      revenue: f.money(live.revenue),
    },
    model: {
      scored: model.asOf !== null,
      asOf: model.asOf ? f.calendarDate(model.asOf) : null,
      status: model.model?.status ?? null,
      insufficient:
        model.model?.status === "insufficient" && (model.model.cause ?? "few-repeat-buyers") === "few-repeat-buyers"
          ? repeatBuyerProgress(model.model)
          : null,
      unreliableFit:
        model.model?.status === "insufficient"
          ? model.model.cause === "at-bounds" || model.model.cause === "not-converged" || model.model.cause === "none-beats-naive"
            ? model.model.cause
            : null
          : null,
      predicted: predicted ? { value: f.money(predicted.value), method: predicted.method } : null,
      // Issue 19 "how sure": the range of the model's 12-month revenue (parameter uncertainty, stored by the recompute).
      predictedRange:
        predicted?.method === "model" && model.ranges?.revenue12Months
          ? translate(locale, "forecast.clvRange", {
              level: f.percent(model.ranges.level, 0),
              low: f.money(model.ranges.revenue12Months.low),
              high: f.money(model.ranges.revenue12Months.high),
            })
          : null,
      predictedRangeHelp: model.ranges
        ? [translate(locale, "forecast.rangeHelp", { level: f.percent(model.ranges.level, 0) }), rangeSource(model.model, locale)]
            .filter(Boolean)
            .join(" ")
        : null,
      modelChoice: modelChoiceProps(model.modelChoice, locale, f),
      accuracy:
        backtest?.status === "fitted"
          ? {
              mae: f.number(backtest.mae, { maximumFractionDigits: 2 }),
              naiveMae: f.number(backtest.naiveMae, { maximumFractionDigits: 2 }),
              // How much smaller the model's per-customer error is than the naive forecast's.
              improvement: backtest.naiveMae > 0 ? f.percent(Math.abs(1 - backtest.mae / backtest.naiveMae), 0) : null,
              better: backtest.mae <= backtest.naiveMae,
              aggregate: backtest.aggregateRelativeError === null ? null : f.percent(Math.abs(backtest.aggregateRelativeError), 1),
              over: (backtest.aggregateRelativeError ?? 0) > 0,
              period: `${f.calendarDate(backtest.calibrationEnd)} – ${f.calendarDate(backtest.holdoutEnd)}`,
            }
          : null,
      accuracyUnavailable: backtest?.status === "insufficient",
      dataRules: dataRulesProps(model.dataRules, locale, f),
    },
    lifecycle: {
      total: lifecycleTotal,
      groups: view.lifecycle.map((g) => ({
        key: g.key,
        label: translate(locale, g.key ? (`lifecycle.${g.key}` as "lifecycle.new") : "lifecycle.unscored"),
        count: g.count,
        formatted: f.number(g.count),
        share: lifecycleTotal ? f.percent(g.count / lifecycleTotal, 0) : "",
        // The group's meaning, on hover.
        meaning: g.key && g.key in definitions ? definitions[g.key as LifecycleGroup].meaning : null,
      })),
    },
    forecastMonths,
    // The what-if from the last recompute's numbers; the expected lift is edited on the page.
    roi:
      roi && model.insights
        ? {
            inputs: {
              firstTimeBuyersPerMonth: roi.firstTimeBuyersPerMonth,
              extraOrdersPerReturningCustomer: roi.extraOrdersPerReturningCustomer,
              averageOrderValue: roi.averageOrderValue,
            },
            extraOrdersMeasured: model.insights.averageOrdersOfReturning !== null,
            liftPoints: roi.liftPoints,
            currency: formatCtx.currency,
          }
        : null,
    tiers: view.tiers.map((g) => ({ label: g.key ?? translate(locale, "dashboard.noTier"), count: g.count })),
    trend: {
      months: view.trend.months.map((m) => f.monthLabel(m)),
      firstOrders: view.trend.firstOrders,
      lapsed: view.trend.lapsed,
    },
    rewards: {
      any: view.rewards.issued + view.rewards.pending + view.rewards.failed + view.rewards.heldOut > 0,
      issued: f.number(view.rewards.issued),
      redeemed: f.number(view.rewards.redeemed),
      rate: view.rewards.issued ? f.percent(view.rewards.redeemed / view.rewards.issued, 1) : null,
      revenue: f.money(view.rewards.redeemedRevenue),
      pending: view.rewards.pending,
      failed: view.rewards.failed,
      heldOut: f.number(view.rewards.heldOut),
    },
    nps: {
      responses: view.nps.responses,
      value: view.nps.nps === null ? null : f.number(view.nps.nps, { maximumFractionDigits: 0, signDisplay: "exceptZero" }),
      promoters: f.number(view.nps.promoters),
      passives: f.number(view.nps.passives),
      detractors: f.number(view.nps.detractors),
      openFollowUps: view.nps.openFollowUps,
      openFollowUpsText: translatePlural(locale, "nps.openFollowUps", view.nps.openFollowUps),
    },
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, locale } = await pageContext(request);
  const form = await request.formData();
  if (form.get("intent") === "backfill") return json(await runBackfillAction(shop, locale));
  const issuance = await issuanceAction(shop, form, locale);
  if (issuance) return json(issuance, { status: issuance.ok ? 200 : 404 });
  return json({ intent: "unknown", ok: false, message: translate(locale, "common.unknownAction") }, { status: 400 });
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function InsightsCard({ data }: { data: Data }) {
  const { t, tp } = useI18n();
  const { live, model } = data;
  if (!data.hasCustomers) {
    return (
      <Card>
        <EmptyState heading={t("insights.emptyTitle")} image={EMPTY_STATE_IMAGE}>
          <p>{t("insights.emptyBody")}</p>
        </EmptyState>
      </Card>
    );
  }
  const modelPending = (
    <Text as="p" tone="subdued">
      {t("insights.notScoredYet")}
    </Text>
  );
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("insights.title")}
          </Text>
          {model.asOf ? (
            <Text as="span" tone="subdued">
              {t("insights.asOf", { date: model.asOf })}
            </Text>
          ) : null}
        </InlineStack>
        {data.figuresAsOf ? (
          <Text as="p" tone="subdued">
            {data.figuresAsOf}
          </Text>
        ) : null}
        <InlineGrid columns={{ xs: 1, sm: 2, lg: 4 }} gap="400">
          <MetricTile
            label={t("insights.repeatRate")}
            value={live.repeatRate ?? "—"}
            help={t("insights.repeatRateHelp", { returning: live.returning, buyers: live.buyers })}
          />
          <MetricTile label={t("insights.top20")} value={live.top20 ?? "—"} help={t("insights.top20Help", { revenue: live.revenue })} />
          <MetricTile
            label={t("insights.predicted")}
            value={model.predicted?.value ?? "—"}
            help={
              model.predicted ? t(model.predicted.method === "model" ? "insights.predictedModel" : "insights.predictedHistoric") : undefined
            }
          >
            {model.predicted ? null : modelPending}
            {model.predictedRange ? (
              <Text as="p" variant="bodySm" tone="subdued">
                <span title={model.predictedRangeHelp ?? undefined} data-testid="revenue-range">
                  {model.predictedRange}
                </span>
              </Text>
            ) : null}
          </MetricTile>
          <MetricTile
            label={t("insights.accuracy")}
            value={
              model.accuracy?.improvement
                ? t(model.accuracy.better ? "insights.accuracyValueBetter" : "insights.accuracyValueWorse", {
                    improvement: model.accuracy.improvement,
                  })
                : "—"
            }
            help={
              model.accuracy
                ? t(model.accuracy.better ? "insights.accuracyBetter" : "insights.accuracyWorse", {
                    mae: model.accuracy.mae,
                    naive: model.accuracy.naiveMae,
                    period: model.accuracy.period,
                  })
                : undefined
            }
          >
            {model.accuracy ? (
              model.accuracy.aggregate ? (
                <Text as="p" tone="subdued" variant="bodySm">
                  {t(model.accuracy.over ? "insights.aggregateOver" : "insights.aggregateUnder", { error: model.accuracy.aggregate })}
                </Text>
              ) : null
            ) : model.accuracyUnavailable ? (
              <Text as="p" tone="subdued">
                {t("insights.accuracyUnavailable")}
              </Text>
            ) : (
              modelPending
            )}
            {model.modelChoice ? (
              <BlockStack gap="050">
                <Text as="p" variant="bodySm" fontWeight="semibold">
                  <span title={model.modelChoice.why ?? undefined} data-testid="model-choice">
                    {model.modelChoice.title}
                  </span>
                </Text>
                {model.modelChoice.candidates.map((line) => (
                  <Text as="p" variant="bodySm" tone="subdued" key={line}>
                    {line}
                  </Text>
                ))}
              </BlockStack>
            ) : null}
          </MetricTile>
        </InlineGrid>
        {model.insufficient ? (
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <Text as="p">
              {tp("insights.insufficient", model.insufficient.more, {
                have: model.insufficient.have,
                needed: model.insufficient.needed,
              })}
            </Text>
          </Box>
        ) : null}
        {model.unreliableFit ? (
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <Text as="p">
              {t(
                model.unreliableFit === "at-bounds"
                  ? "insights.fitAtBounds"
                  : model.unreliableFit === "none-beats-naive"
                    ? "insights.fitNoneBeatsNaive"
                    : "insights.fitNotConverged",
              )}
            </Text>
          </Box>
        ) : null}
        {model.dataRules.length > 0 ? (
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {t("insights.dataRules.title")}
              </Text>
              {model.dataRules.map((item) => (
                <Text as="p" key={item.rule} variant="bodySm">
                  {item.text}
                </Text>
              ))}
            </BlockStack>
          </Box>
        ) : null}
        {!model.scored ? (
          <Box background="bg-surface-secondary" padding="300" borderRadius="200">
            <Text as="p">{t("insights.whenScored")}</Text>
          </Box>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function LifecycleCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const path = useAppPath();
  const groups = data.lifecycle.groups;
  const scored = groups.filter((g) => g.key !== null);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.lifecycleTitle")}
        </Text>
        {scored.every((g) => g.count === 0) ? (
          <Text as="p" tone="subdued">
            {t("dashboard.lifecycleEmpty")}
          </Text>
        ) : (
          <KinshipDonutChart
            label={t("dashboard.lifecycleTitle")}
            series={scored.map((g) => ({
              name: g.label,
              color: LIFECYCLE_COLORS[g.key as keyof typeof LIFECYCLE_COLORS],
              points: [{ label: g.label, value: g.count }],
            }))}
          />
        )}
        <BlockStack gap="100">
          {groups.map((g) => (
            <InlineStack key={g.key ?? "none"} align="space-between">
              {g.key ? (
                <Tooltip content={g.meaning}>
                  <RemixLink to={path("/app/customers", { lifecycle: g.key })} style={{ color: "inherit" }}>
                    {g.label}
                  </RemixLink>
                </Tooltip>
              ) : (
                <Text as="span" tone="subdued">
                  {g.label}
                </Text>
              )}
              <Text as="span" numeric>
                {g.formatted} {g.share ? `· ${g.share}` : ""}
              </Text>
            </InlineStack>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}

function TiersCard({ data }: { data: Data }) {
  const { t } = useI18n();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.tiersTitle")}
        </Text>
        {data.tiers.every((g) => g.label === t("dashboard.noTier")) ? (
          <Text as="p" tone="subdued">
            {t("dashboard.tiersEmpty")}
          </Text>
        ) : (
          <KinshipBarChart
            label={t("dashboard.tiersTitle")}
            series={[{ name: t("dashboard.customersSeries"), points: data.tiers.map((g) => ({ label: g.label, value: g.count })) }]}
          />
        )}
      </BlockStack>
    </Card>
  );
}

function TrendCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const { trend } = data;
  const empty = trend.firstOrders.every((v) => v === 0) && trend.lapsed.every((v) => v === 0);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.trendTitle")}
        </Text>
        <Text as="p" tone="subdued">
          {t("dashboard.trendHelp")}
        </Text>
        {empty ? (
          <Text as="p" tone="subdued">
            {t("dashboard.trendEmpty")}
          </Text>
        ) : (
          <KinshipLineChart
            label={t("dashboard.trendTitle")}
            series={[
              {
                name: t("dashboard.trendNew"),
                color: LIFECYCLE_COLORS.new,
                points: trend.months.map((m, i) => ({ label: m, value: trend.firstOrders[i] })),
              },
              {
                name: t("dashboard.trendLapsed"),
                color: LIFECYCLE_COLORS.lapsed,
                points: trend.months.map((m, i) => ({ label: m, value: trend.lapsed[i] })),
              },
            ]}
          />
        )}
      </BlockStack>
    </Card>
  );
}

function RewardsCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const path = useAppPath();
  const { rewards } = data;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            {t("rewards.title")}
          </Text>
          <RemixLink to={path("/app/rules")}>{t("rewards.manage")}</RemixLink>
        </InlineStack>
        {!rewards.any ? (
          <Text as="p" tone="subdued">
            {t("rewards.empty")}
          </Text>
        ) : (
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
            <MetricTile label={t("rewards.issued")} value={rewards.issued} />
            <MetricTile
              label={t("rewards.redeemed")}
              value={rewards.redeemed}
              help={rewards.rate ? t("rewards.rate", { rate: rewards.rate }) : undefined}
            />
            <MetricTile label={t("rewards.revenue")} value={rewards.revenue} help={t("rewards.revenueHelp")} />
            <MetricTile label={t("rewards.heldOut")} value={rewards.heldOut} help={t("rewards.heldOutHelp")} />
          </InlineGrid>
        )}
        {rewards.failed > 0 ? (
          <Text as="p" tone="critical">
            {t("rewards.failed", { count: rewards.failed })}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function NpsCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const path = useAppPath();
  const { nps } = data;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            {t("nps.title")}
          </Text>
          <RemixLink to={path("/app/feedback")}>{t("nps.open")}</RemixLink>
        </InlineStack>
        {nps.responses === 0 ? (
          <Text as="p" tone="subdued">
            {t("nps.empty")}
          </Text>
        ) : (
          <InlineGrid columns={{ xs: 2, md: 3 }} gap="300">
            <MetricTile label={t("nps.score")} value={nps.value ?? "—"} help={t("nps.scoreHelp")} />
            <MetricTile
              label={t("nps.responses")}
              value={String(nps.responses)}
              help={t("nps.split", { promoters: nps.promoters, passives: nps.passives, detractors: nps.detractors })}
            />
            <MetricTile label={t("nps.followUps")} value={String(nps.openFollowUps)} help={nps.openFollowUpsText} />
          </InlineGrid>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={data.locale} messages={data.messages}>
      <Page title={data.title}>
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd" id="shop-name">
                  {data.welcome}
                </Text>
                <Text as="p" tone="subdued">
                  {data.currency}
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <SyncStatusCard sync={data.sync} />
          </Layout.Section>
          <Layout.Section>
            <IssuanceStatusCard status={data.issuance} controls />
            <ReachHealthCard items={data.health.items} freshness={data.health.freshness} rewardsPage={data.health.rewardsPage} />
          </Layout.Section>
          <Layout.Section>
            <InsightsCard data={data} />
          </Layout.Section>
          {data.hasCustomers ? (
            <>
              <Layout.Section variant="oneHalf">
                <LifecycleCard data={data} />
              </Layout.Section>
              <Layout.Section variant="oneHalf">
                <TiersCard data={data} />
              </Layout.Section>
              <Layout.Section>
                <TrendCard data={data} />
              </Layout.Section>
              {data.roi && (
                <Layout.Section>
                  <RoiWhatIfCard {...data.roi} locale={data.locale} />
                </Layout.Section>
              )}
              <Layout.Section>
                <ForecastAccuracyCard report={data.forecastMonths} />
              </Layout.Section>
            </>
          ) : null}
          <Layout.Section variant="oneHalf">
            <RewardsCard data={data} />
          </Layout.Section>
          <Layout.Section variant="oneHalf">
            <NpsCard data={data} />
          </Layout.Section>
        </Layout>
        <SettingsHint />
      </Page>
    </I18nProvider>
  );
}

function SettingsHint() {
  const { t } = useI18n();
  const path = useAppPath();
  return (
    <FooterHelp>
      {t("dashboard.footer")} <Link url={path("/app/settings")}>{t("dashboard.footerLink")}</Link>
    </FooterHelp>
  );
}

export { RouteError as ErrorBoundary } from "../components/RouteError";
