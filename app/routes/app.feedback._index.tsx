import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import { Banner, BlockStack, InlineGrid, Layout, Page, Select } from "@shopify/polaris";
import { feedbackOverview, parseOverviewParams, RANGES } from "../services/feedback-overview.server";
import { pageContext, pageMessages } from "../services/page-context.server";
import { I18nProvider, useI18n } from "../components/I18n";
import { MetricCard } from "../components/feedback/MetricCard";
import { DistributionChart, TrendChart } from "../components/feedback/FeedbackCharts";
import { ReasonsCard } from "../components/feedback/ReasonsCard";
import { FollowUpQueue } from "../components/feedback/FollowUpQueue";
import { FollowUpEffectCard } from "../components/feedback/FollowUpEffectCard";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale, url } = await pageContext(request);
  const overview = await feedbackOverview(shop, parseOverviewParams(url.searchParams), locale, new Date());
  // The ranges travel with the data: a *.server module's exports do not exist in the browser.
  return json({ ...overview, ranges: RANGES, messages: pageMessages(locale, ["feedback"]) });
};

function FeedbackContent() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();

  const withParams = (path: string, change: Record<string, string> = {}) => {
    const search = new URLSearchParams(location.search);
    for (const [key, value] of Object.entries(change)) search.set(key, value);
    const query = search.toString();
    return query ? `${path}?${query}` : path;
  };
  const change = (params: Record<string, string>) => navigate(withParams(location.pathname, params), { replace: true });
  // Item pages keep only the admin locale; filters belong to this page.
  const itemUrl = (id: string) => {
    const locale = new URLSearchParams(location.search).get("locale");
    return `/app/feedback/${encodeURIComponent(id)}${locale ? `?locale=${encodeURIComponent(locale)}` : ""}`;
  };

  return (
    <Page title={t("feedback.title")} subtitle={t("feedback.subtitle")}>
      <BlockStack gap="500">
        <InlineGrid columns={{ xs: 1, md: 3 }}>
          <Select
            label={t("feedback.range.label")}
            labelInline
            options={data.ranges.map((days) => ({ value: String(days), label: t(`feedback.range.${days}`) }))}
            value={String(data.params.range)}
            onChange={(value) => change({ range: value })}
          />
        </InlineGrid>
        {data.empty ? (
          <Banner tone="info" title={t("feedback.empty.title")}>
            <p>{t("feedback.empty.body")}</p>
          </Banner>
        ) : null}
        <InlineGrid columns={{ xs: 1, sm: 2, lg: 5 }} gap="400">
          {data.metrics.map((metric) => (
            <MetricCard key={metric.label} metric={metric} />
          ))}
        </InlineGrid>
        <Layout>
          <Layout.Section>
            <TrendChart points={data.trend} />
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <ReasonsCard reasons={data.reasons} />
          </Layout.Section>
          <Layout.Section>
            <DistributionChart counts={data.distribution} />
          </Layout.Section>
          <Layout.Section>
            <FollowUpEffectCard
              effect={data.followUpEffect}
              title={t("feedback.effect.title")}
              resolvedLabel={t("feedback.effect.resolved")}
              unansweredLabel={t("feedback.effect.unanswered")}
            />
          </Layout.Section>
          <Layout.Section>
            <FollowUpQueue
              help={t("feedback.queue.help", { threshold: data.threshold, target: data.target })}
              truncated={
                data.queueTotal > data.queueShown ? t("feedback.queue.truncated", { shown: data.queueShown, total: data.queueTotal }) : null
              }
              rows={data.queue}
              sort={data.params.sort}
              show={data.params.show}
              itemUrl={itemUrl}
              paging={data.queuePage}
              onChange={(c) =>
                change({
                  ...(c.sort ? { sort: c.sort } : {}),
                  ...(c.show ? { show: c.show } : {}),
                  ...(c.page ? { page: String(c.page) } : {}),
                })
              }
            />
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

export default function FeedbackPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={data.locale} messages={data.messages}>
      <FeedbackContent />
    </I18nProvider>
  );
}

export { RouteError as ErrorBoundary } from "../components/RouteError";
