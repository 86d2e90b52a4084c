import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigate } from "@remix-run/react";
import { Banner, BlockStack, InlineGrid, Layout, Page, Select } from "@shopify/polaris";
import { authenticate } from "../shopify.server";
import { resolveLocale } from "../i18n";
import { feedbackOverview, parseOverviewParams, RANGES, translator } from "../components/feedback/overview.server";
import { MetricCard } from "../components/feedback/MetricCard";
import { DistributionChart, TrendChart } from "../components/feedback/FeedbackCharts";
import { ReasonsCard } from "../components/feedback/ReasonsCard";
import { FollowUpQueue } from "../components/feedback/FollowUpQueue";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const locale = resolveLocale(url.searchParams.get("locale"));
  const t = translator(locale);
  const overview = await feedbackOverview(session.shop, parseOverviewParams(url.searchParams), locale, new Date());
  return json({
    ...overview,
    text: {
      title: t("feedback.title"),
      subtitle: t("feedback.subtitle"),
      range: t("feedback.range.label"),
      ranges: RANGES.map((days) => ({ value: String(days), label: t(`feedback.range.${days}`) })),
      emptyTitle: t("feedback.empty.title"),
      emptyBody: t("feedback.empty.body"),
      trendTitle: t("feedback.trend.title"),
      trendEmpty: t("feedback.trend.empty"),
      nps: t("feedback.metric.nps"),
      csat: t("feedback.metric.csat"),
      distributionTitle: t("feedback.distribution.title"),
      distributionSeries: t("feedback.distribution.series"),
      reasonsTitle: t("feedback.reasons.title"),
      reasonsEmpty: t("feedback.reasons.empty"),
      queue: {
        title: t("feedback.queue.title"),
        help: t("feedback.queue.help", { threshold: overview.threshold, target: overview.target }),
        sort: t("feedback.queue.sort"),
        sortValue: t("feedback.queue.sortValue"),
        sortAge: t("feedback.queue.sortAge"),
        show: t("feedback.queue.show"),
        showOpen: t("feedback.queue.showOpen"),
        showAll: t("feedback.queue.showAll"),
        empty: t("feedback.queue.empty"),
        truncated:
          overview.queueTotal > overview.queueShown
            ? t("feedback.queue.truncated", { shown: overview.queueShown, total: overview.queueTotal })
            : null,
        colCustomer: t("feedback.queue.colCustomer"),
        colScore: t("feedback.queue.colScore"),
        colReasons: t("feedback.queue.colReasons"),
        colComment: t("feedback.queue.colComment"),
        colValue: t("feedback.queue.colValue"),
        colWaiting: t("feedback.queue.colWaiting"),
        colStatus: t("feedback.queue.colStatus"),
      },
    },
  });
};

export default function FeedbackPage() {
  const data = useLoaderData<typeof loader>();
  const { text } = data;
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
    <Page title={text.title} subtitle={text.subtitle}>
      <BlockStack gap="500">
        <InlineGrid columns={{ xs: 1, md: 3 }}>
          <Select
            label={text.range}
            labelInline
            options={text.ranges}
            value={String(data.params.range)}
            onChange={(value) => change({ range: value })}
          />
        </InlineGrid>
        {data.empty ? (
          <Banner tone="info" title={text.emptyTitle}>
            <p>{text.emptyBody}</p>
          </Banner>
        ) : null}
        <InlineGrid columns={{ xs: 1, sm: 2, lg: 5 }} gap="400">
          {data.metrics.map((metric) => (
            <MetricCard key={metric.label} metric={metric} />
          ))}
        </InlineGrid>
        <Layout>
          <Layout.Section>
            <TrendChart title={text.trendTitle} npsLabel={text.nps} csatLabel={text.csat} empty={text.trendEmpty} points={data.trend} />
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <ReasonsCard title={text.reasonsTitle} empty={text.reasonsEmpty} reasons={data.reasons} />
          </Layout.Section>
          <Layout.Section>
            <DistributionChart title={text.distributionTitle} seriesLabel={text.distributionSeries} counts={data.distribution} />
          </Layout.Section>
          <Layout.Section>
            <FollowUpQueue
              labels={text.queue}
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
