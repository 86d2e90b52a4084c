/**
 * polaris-viz charts for the admin pages. polaris-viz measures its container in the browser (it reads
 * `navigator` while rendering), so charts render only after hydration; the server and the first client
 * render show the same numbers as a plain list, which also serves screen readers and keeps the layout.
 */
import { useEffect, useState, type ReactNode } from "react";
import { BarChart, DonutChart, LineChart, PolarisVizProvider, type DataSeries } from "@shopify/polaris-viz";
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import { useI18n } from "../I18n";

export interface ChartPoint {
  label: string;
  /** null: no data for this label (a gap in a line, not a zero). */
  value: number | null;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
  color?: string;
}

function useMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

/**
 * Whether a chart would show anything: a line needs two labels with a value (one point is a dot on an empty
 * grid), bars and slices need one value above zero. Otherwise the chart says "not enough data yet".
 */
export function hasEnoughData(series: ChartSeries[], kind: "line" | "bar"): boolean {
  if (kind === "bar") return series.some((s) => s.points.some((p) => (p.value ?? 0) > 0));
  const withValue = new Set(series.flatMap((s) => s.points.filter((p) => p.value !== null).map((p) => p.label)));
  const anyNonZero = series.some((s) => s.points.some((p) => (p.value ?? 0) !== 0));
  return withValue.size >= 2 && anyNonZero;
}

function NotEnoughData({ height }: { height: number }) {
  const { t } = useI18n();
  return (
    <div style={{ minHeight: Math.min(height, 80), display: "flex", alignItems: "center" }}>
      <Text as="p" tone="subdued">
        {t("common.notEnoughData")}
      </Text>
    </div>
  );
}

function toDataSeries(series: ChartSeries[]): DataSeries[] {
  return series.map((s) => ({
    name: s.name,
    ...(s.color ? { color: s.color } : {}),
    data: s.points.map((p) => ({ key: p.label, value: p.value })),
  }));
}

function Fallback({ series, format }: { series: ChartSeries[]; format: (value: number) => string }) {
  return (
    <BlockStack gap="100">
      {series.map((s) => (
        <BlockStack key={s.name} gap="050">
          {series.length > 1 ? (
            <Text as="p" variant="bodySm" fontWeight="semibold">
              {s.name}
            </Text>
          ) : null}
          {s.points
            .filter((p) => p.value !== null)
            .map((p) => (
              <InlineStack key={p.label} align="space-between">
                <Text as="span" variant="bodySm">
                  {p.label}
                </Text>
                <Text as="span" variant="bodySm" numeric>
                  {format(p.value ?? 0)}
                </Text>
              </InlineStack>
            ))}
        </BlockStack>
      ))}
    </BlockStack>
  );
}

function ChartFrame({ height, label, children }: { height: number; label: string; children: ReactNode }) {
  return (
    <div style={{ height, width: "100%" }} role="figure" aria-label={label}>
      {children}
    </div>
  );
}

interface CommonProps {
  /** What the chart shows, for assistive technology. */
  label: string;
  series: ChartSeries[];
  format?: (value: number) => string;
  height?: number;
}

const plain = (value: number) => String(value);

export function KinshipBarChart({
  label,
  series,
  format = plain,
  height = 240,
  horizontal = false,
}: CommonProps & { horizontal?: boolean }) {
  const mounted = useMounted();
  if (!hasEnoughData(series, "bar")) return <NotEnoughData height={height} />;
  if (!mounted) return <Fallback series={series} format={format} />;
  return (
    <ChartFrame height={height} label={label}>
      <PolarisVizProvider>
        <BarChart
          data={toDataSeries(series)}
          theme="Light"
          direction={horizontal ? "horizontal" : "vertical"}
          showLegend={series.length > 1}
          yAxisOptions={{ labelFormatter: (v) => format(Number(v)), integersOnly: true }}
          xAxisOptions={{ labelFormatter: (v) => String(v) }}
        />
      </PolarisVizProvider>
    </ChartFrame>
  );
}

export function KinshipDonutChart({ label, series, format = plain, height = 240 }: CommonProps) {
  const mounted = useMounted();
  if (!hasEnoughData(series, "bar")) return <NotEnoughData height={height} />;
  if (!mounted) return <Fallback series={series} format={format} />;
  // A donut has one slice per series.
  const slices: DataSeries[] = series.flatMap((s) =>
    s.points.map((p) => ({ name: p.label, ...(s.color ? { color: s.color } : {}), data: [{ key: s.name, value: p.value }] })),
  );
  return (
    <ChartFrame height={height} label={label}>
      <PolarisVizProvider>
        <DonutChart data={slices} theme="Light" legendPosition="right" labelFormatter={(v) => format(Number(v))} />
      </PolarisVizProvider>
    </ChartFrame>
  );
}

export function KinshipLineChart({ label, series, format = plain, height = 240 }: CommonProps) {
  const mounted = useMounted();
  if (!hasEnoughData(series, "line")) return <NotEnoughData height={height} />;
  if (!mounted) return <Fallback series={series} format={format} />;
  return (
    <ChartFrame height={height} label={label}>
      <PolarisVizProvider>
        <LineChart
          data={toDataSeries(series)}
          theme="Light"
          showLegend={series.length > 1}
          yAxisOptions={{ labelFormatter: (v) => format(Number(v)), integersOnly: true }}
          xAxisOptions={{ labelFormatter: (v) => String(v) }}
        />
      </PolarisVizProvider>
    </ChartFrame>
  );
}
