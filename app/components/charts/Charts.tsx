/**
 * polaris-viz charts for the admin pages. polaris-viz measures its container in the browser (it reads
 * `navigator` while rendering), so charts render only after hydration; the server and the first client
 * render show the same numbers as a plain list, which also serves screen readers and keeps the layout.
 */
import { useEffect, useState, type ReactNode } from "react";
import { BarChart, DonutChart, LineChart, PolarisVizProvider, type DataSeries } from "@shopify/polaris-viz";
import { BlockStack, InlineStack, Text } from "@shopify/polaris";

export interface ChartPoint {
  label: string;
  value: number;
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
          {s.points.map((p) => (
            <InlineStack key={p.label} align="space-between">
              <Text as="span" variant="bodySm">
                {p.label}
              </Text>
              <Text as="span" variant="bodySm" numeric>
                {format(p.value)}
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

export function KinshipBarChart({ label, series, format = plain, height = 240, horizontal = false }: CommonProps & { horizontal?: boolean }) {
  const mounted = useMounted();
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
