/**
 * The retention what-if on the dashboard: if N more points of first-time buyers came back, how many
 * extra orders and how much revenue a month, from the shop's own numbers. The lift is the merchant's
 * guess (editable, recomputed in the browser); every other input says whether it was measured.
 */
import { BlockStack, Card, InlineGrid, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { formatMoney, formatNumber } from "../formatting";
import type { Locale } from "../i18n";
import { isLiftPoints, retentionRoiAt, type RoiInputs } from "../retention/insights/shop-insights";
import { useI18n } from "./I18n";

export interface RoiWhatIfProps {
  inputs: RoiInputs;
  /** False when the shop has no returning customers yet and one extra order each is assumed. */
  extraOrdersMeasured: boolean;
  liftPoints: number;
  currency: string;
  locale: Locale;
}

function InputRow({ label, value, measured }: { label: string; value: string; measured: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <Text as="p">{label}</Text>
      <Text as="p" alignment="end">
        {t(measured ? "dashboard.roi.measuredValue" : "dashboard.roi.assumedValue", { value })}
      </Text>
    </>
  );
}

export function RoiWhatIfCard({ inputs, extraOrdersMeasured, liftPoints, currency, locale }: RoiWhatIfProps) {
  const { t } = useI18n();
  const [lift, setLift] = useState(String(liftPoints));
  const value = Number(lift.replace(",", "."));
  const valid = lift.trim() !== "" && isLiftPoints(value);
  const outcome = valid ? retentionRoiAt(inputs, value) : null;
  const number = (x: number, digits = 1) => formatNumber(x, locale, { maximumFractionDigits: digits });
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("dashboard.roi.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("dashboard.roi.help")}
        </Text>
        <TextField
          label={t("dashboard.roi.lift")}
          type="number"
          min={0}
          max={100}
          step={1}
          suffix={t("dashboard.roi.points")}
          value={lift}
          onChange={setLift}
          autoComplete="off"
          error={valid ? undefined : t("dashboard.roi.liftInvalid")}
          helpText={t("dashboard.roi.liftHelp")}
        />
        <InlineGrid columns={2} gap="200">
          <InputRow label={t("dashboard.roi.firstTimeBuyers")} value={number(inputs.firstTimeBuyersPerMonth)} measured />
          <InputRow
            label={t("dashboard.roi.extraOrders")}
            value={number(inputs.extraOrdersPerReturningCustomer, 2)}
            measured={extraOrdersMeasured}
          />
          <InputRow
            label={t("dashboard.roi.averageOrderValue")}
            value={formatMoney(inputs.averageOrderValue, { locale, currency })}
            measured
          />
        </InlineGrid>
        {outcome && (
          <Text as="p" variant="headingSm">
            {t("dashboard.roi.outcome", {
              orders: number(outcome.extraOrdersPerMonth),
              revenue: formatMoney(outcome.extraRevenuePerMonth, { locale, currency }),
            })}
          </Text>
        )}
        <Text as="p" tone="subdued">
          {t("dashboard.roi.formula")}
        </Text>
      </BlockStack>
    </Card>
  );
}
