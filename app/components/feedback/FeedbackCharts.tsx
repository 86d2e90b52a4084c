import { BlockStack, Box, Card, Text } from "@shopify/polaris";
import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { ClientOnly } from "./ClientOnly";
import type { TrendPointView } from "./types";

const CHART_HEIGHT = 260;

function ChartCard({ title, children }: { title: string; children: () => JSX.Element }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        <Box minHeight={`${CHART_HEIGHT}px`}>
          <ClientOnly fallback={<div style={{ height: CHART_HEIGHT }} />}>
            {() => (
              <PolarisVizProvider>
                <div style={{ height: CHART_HEIGHT }}>{children()}</div>
              </PolarisVizProvider>
            )}
          </ClientOnly>
        </Box>
      </BlockStack>
    </Card>
  );
}

/** NPS (−100..100) and CSAT (0..100) per period; periods without answers are gaps, not zeros. */
export function TrendChart(props: { title: string; npsLabel: string; csatLabel: string; empty: string; points: TrendPointView[] }) {
  const data = [
    { name: props.npsLabel, data: props.points.map((p) => ({ key: p.label, value: p.nps === null ? null : Math.round(p.nps) })) },
    { name: props.csatLabel, data: props.points.map((p) => ({ key: p.label, value: p.csat === null ? null : Math.round(p.csat) })) },
  ];
  return (
    <ChartCard title={props.title}>{() => <LineChart data={data} emptyStateText={props.empty} isAnimated={false} showLegend />}</ChartCard>
  );
}

/** Answers per score 0..10. */
export function DistributionChart(props: { title: string; seriesLabel: string; counts: number[] }) {
  const data = [{ name: props.seriesLabel, data: props.counts.map((count, score) => ({ key: String(score), value: count })) }];
  return (
    <ChartCard title={props.title}>
      {() => <BarChart data={data} isAnimated={false} showLegend={false} yAxisOptions={{ integersOnly: true }} />}
    </ChartCard>
  );
}
