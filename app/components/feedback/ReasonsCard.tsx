import { BlockStack, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { ReasonView } from "./types";

export function ReasonsCard({ title, empty, reasons }: { title: string; empty: string; reasons: ReasonView[] }) {
  const named = reasons.some((r) => r.count > 0);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {named ? (
          reasons.map((r) => (
            <BlockStack gap="100" key={r.reason}>
              <InlineStack align="space-between">
                <Text as="span">{r.label}</Text>
                <Text as="span" tone="subdued">
                  {r.detail}
                </Text>
              </InlineStack>
              <ProgressBar progress={Math.round(r.share * 100)} size="small" />
            </BlockStack>
          ))
        ) : (
          <Text as="p" tone="subdued">
            {empty}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
