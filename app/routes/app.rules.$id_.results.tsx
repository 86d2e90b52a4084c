/**
 * One rule's results: the verdict of its holdout experiment, the intervals, what its redeemed codes
 * cost, and each arm's purchase rate as customers were measured (issue #18).
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { KinshipLineChart } from "../components/charts/Charts";
import { I18nProvider, useAppPath, useI18n } from "../components/I18n";
import { notFound } from "../components/RouteError";
import type { ShopFormatter } from "../formatting";
import { ruleResults, type RuleResult } from "../models/reward-results.server";
import { getRule } from "../models/rules.server";
import { MIN_COMPLETE_PER_ARM } from "../retention/rewards";
import type { Estimate } from "../retention/rewards/experiment-stats";
import { pageContext, pageMessages } from "../services/page-context.server";

/** The state the page shows: the experiment's verdict, or that the rule holds nobody out. */
export type ResultsState = "tooEarly" | "noDetectableEffect" | "works" | "hurts" | "noHoldout";

function interval(estimate: Estimate | null, write: (x: number) => string) {
  return estimate ? { difference: write(estimate.difference), lower: write(estimate.lower), upper: write(estimate.upper) } : null;
}

function resultsView(result: RuleResult, f: ShopFormatter) {
  const experiment = result.experiment;
  const points = (x: number) => f.number(x * 100, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const state: ResultsState = experiment ? experiment.state : "noHoldout";
  return {
    state,
    issued: f.number(result.issued),
    redeemed: f.number(result.redeemed),
    redemptionRate: f.percent(result.redemptionRate, 1),
    discountCost: f.money(result.discountCost),
    revenue: f.money(result.revenue),
    treated: f.number(result.treated.complete),
    heldOut: f.number(result.heldOut.complete),
    rate: interval(experiment?.purchaseRate ?? null, points),
    revenuePer100: interval(experiment?.money.revenue ?? null, (x) => f.money(x)),
    costPer100: interval(experiment?.money.discountCost ?? null, (x) => f.money(x)),
    profitPer100: interval(experiment?.money.profit ?? null, (x) => f.money(x)),
    // Rates as percentages for the chart's axis; dates in the admin's language.
    timeline: (experiment?.timeline ?? []).map((p) => ({
      label: f.calendarDate(p.date),
      treated: p.treatedRate === null ? null : Math.round(p.treatedRate * 1000) / 10,
      heldOut: p.heldOutRate === null ? null : Math.round(p.heldOutRate * 1000) / 10,
    })),
  };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await pageContext(request);
  const stored = await getRule(ctx.shop, params.id ?? "");
  if (!stored) throw notFound("rule");
  const [result] = await ruleResults(ctx.shop, [stored.rule.id]);
  return json({
    locale: ctx.locale,
    messages: pageMessages(ctx.locale, ["rules"]),
    id: stored.rule.id,
    name: stored.rule.name,
    results: resultsView(result, ctx.format),
  });
};

const STATE_TONE = {
  works: "success",
  hurts: "critical",
  tooEarly: "attention",
  noDetectableEffect: "info",
  noHoldout: undefined,
} as const;

function RuleResultsPage() {
  const { id, name, results } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const path = useAppPath();
  const measured = results.state !== "noHoldout";
  return (
    <Page title={t("rules.resultsPage.title", { name })} backAction={{ content: name, url: path(`/app/rules/${id}`) }}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("rules.resultsPage.verdict")}
              </Text>
              <InlineStack>
                <Badge tone={STATE_TONE[results.state]}>
                  {measured
                    ? t(`rules.results.state.${results.state as Exclude<ResultsState, "noHoldout">}`)
                    : t("rules.resultsPage.noHoldout")}
                </Badge>
              </InlineStack>
              <Text as="p" tone="subdued">
                {measured
                  ? t(`rules.results.stateHelp.${results.state as Exclude<ResultsState, "noHoldout">}`, { min: MIN_COMPLETE_PER_ARM })
                  : t("rules.results.noHoldout")}
              </Text>
              {measured && (
                <Text as="p" tone="subdued">
                  {t("rules.results.measured", { treated: results.treated, heldOut: results.heldOut })}
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        {measured && (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("rules.resultsPage.intervals")}
                </Text>
                {results.rate ? (
                  <Text as="p">{t("rules.results.rateDifference", results.rate)}</Text>
                ) : (
                  <Text as="p" tone="subdued">
                    {t("rules.resultsPage.noInterval")}
                  </Text>
                )}
                {results.revenuePer100 && <Text as="p">{t("rules.resultsPage.revenuePer100", results.revenuePer100)}</Text>}
                {results.costPer100 && <Text as="p">{t("rules.resultsPage.costPer100", results.costPer100)}</Text>}
                {results.profitPer100 && <Text as="p">{t("rules.resultsPage.profitPer100", results.profitPer100)}</Text>}
                <Text as="p" tone="subdued">
                  {t("rules.resultsPage.moneyMethod")}
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("rules.resultsPage.cost")}
              </Text>
              <InlineGrid columns={2} gap="200">
                <Text as="p">{t("rules.results.issued")}</Text>
                <Text as="p" alignment="end">
                  {results.issued}
                </Text>
                <Text as="p">{t("rules.results.redeemed")}</Text>
                <Text as="p" alignment="end">
                  {t("rules.resultsPage.redeemedOf", { redeemed: results.redeemed, rate: results.redemptionRate })}
                </Text>
                <Text as="p">{t("rules.resultsPage.discountCost")}</Text>
                <Text as="p" alignment="end">
                  {results.discountCost}
                </Text>
                <Text as="p">{t("rules.results.revenue")}</Text>
                <Text as="p" alignment="end">
                  {results.revenue}
                </Text>
              </InlineGrid>
              <Text as="p" tone="subdued">
                {t("rules.resultsPage.costHelp")}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        {measured && (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("rules.resultsPage.overTime")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("rules.resultsPage.overTimeHelp")}
                </Text>
                <KinshipLineChart
                  label={t("rules.resultsPage.overTime")}
                  format={(v) => t("rules.resultsPage.percentValue", { value: v })}
                  series={[
                    { name: t("rules.resultsPage.treated"), points: results.timeline.map((p) => ({ label: p.label, value: p.treated })) },
                    { name: t("rules.resultsPage.heldOut"), points: results.timeline.map((p) => ({ label: p.label, value: p.heldOut })) },
                  ]}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

export default function RuleResultsRoute() {
  const data = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={data.locale} messages={data.messages}>
      <RuleResultsPage />
    </I18nProvider>
  );
}

export { RouteError as ErrorBoundary } from "../components/RouteError";
