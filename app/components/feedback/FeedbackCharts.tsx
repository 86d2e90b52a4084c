import { BlockStack, Card, Text } from "@shopify/polaris";
import { KinshipBarChart, KinshipLineChart } from "../charts/Charts";
import { useI18n } from "../I18n";
import type { TrendPointView } from "../../services/feedback-views";

const CHART_HEIGHT = 260;

function ChartCard({ title, children }: { title: string; children: JSX.Element }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

/** NPS (−100..100) and CSAT (0..100) per period; periods without answers are gaps, not zeros. */
export function TrendChart({ points }: { points: TrendPointView[] }) {
  const { t } = useI18n();
  const round = (value: number | null) => (value === null ? null : Math.round(value));
  const series = [
    { name: t("feedback.metric.nps"), points: points.map((p) => ({ label: p.label, value: round(p.nps) })) },
    { name: t("feedback.metric.csat"), points: points.map((p) => ({ label: p.label, value: round(p.csat) })) },
  ];
  return (
    <ChartCard title={t("feedback.trend.title")}>
      <KinshipLineChart label={t("feedback.trend.title")} series={series} height={CHART_HEIGHT} />
    </ChartCard>
  );
}

/** Answers per score 0..10. */
export function DistributionChart({ counts }: { counts: number[] }) {
  const { t } = useI18n();
  const series = [
    { name: t("feedback.distribution.series"), points: counts.map((count, score) => ({ label: String(score), value: count })) },
  ];
  return (
    <ChartCard title={t("feedback.distribution.title")}>
      <KinshipBarChart label={t("feedback.distribution.title")} series={series} height={CHART_HEIGHT} />
    </ChartCard>
  );
}
