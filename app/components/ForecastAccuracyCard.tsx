import { BlockStack, Card, Text } from "@shopify/polaris";
import { formatMoney } from "../formatting";
import type { Locale } from "../i18n";
import { useI18n } from "./I18n";
import { KinshipLineChart } from "./charts/Charts";

/** The monthly accuracy report as the loader shapes it: one point per month, text already formatted. */
export interface ForecastAccuracyProps {
  locale: Locale;
  currency: string;
  months: Array<{ label: string; predicted: number; actual: number | null }>;
  /** The last closed month in words ("November 2026: forecast $1,200, actual $1,050 (14% too high)."). */
  lastMonth: string | null;
  purchases: string | null;
  /** Set when some months were computed afterwards from the calibration model. */
  backfilled: string | null;
}

/** Forecast against what happened, month by month (issue 19): the merchant sees the model right or wrong. */
export function ForecastAccuracyCard({ report }: { report: ForecastAccuracyProps }) {
  const { t } = useI18n();
  const money = (value: number) => formatMoney(value, { locale: report.locale, currency: report.currency }, { compact: true });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("forecast.monthlyTitle")}
        </Text>
        <Text as="p" tone="subdued">
          {t("forecast.monthlyHelp")}
        </Text>
        {report.months.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("forecast.monthlyEmpty")}
          </Text>
        ) : (
          <KinshipLineChart
            label={t("forecast.monthlyTitle")}
            format={money}
            series={[
              { name: t("forecast.forecastSeries"), points: report.months.map((m) => ({ label: m.label, value: m.predicted })) },
              { name: t("forecast.actualSeries"), points: report.months.map((m) => ({ label: m.label, value: m.actual })) },
            ]}
          />
        )}
        {report.lastMonth ? <Text as="p">{report.lastMonth}</Text> : null}
        {report.purchases ? (
          <Text as="p" tone="subdued" variant="bodySm">
            {report.purchases}
          </Text>
        ) : null}
        {report.backfilled ? (
          <Text as="p" tone="subdued" variant="bodySm">
            {report.backfilled}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
