import type { ReactNode } from "react";
import { BlockStack, Text } from "@shopify/polaris";

/** One figure with its label and, below, what it is made of. */
export function MetricTile({ label, value, help, children }: { label: string; value: string; help?: string; children?: ReactNode }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingXl" numeric>
        {value}
      </Text>
      {help ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      ) : null}
      {children}
    </BlockStack>
  );
}
