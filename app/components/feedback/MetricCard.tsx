import { BlockStack, Card, Text } from "@shopify/polaris";
import type { MetricView } from "../../services/feedback-views";

export function MetricCard({ metric }: { metric: MetricView }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {metric.label}
        </Text>
        <Text as="p" variant="heading2xl">
          {metric.value}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {metric.help}
        </Text>
      </BlockStack>
    </Card>
  );
}
