import { Badge, BlockStack, Text, Tooltip } from "@shopify/polaris";
import type { LifecycleGroup } from "../retention/segments/lifecycle";
import { LIFECYCLE_BADGE_TONE } from "./lifecycle";

export interface LifecycleDefinitionView {
  label: string;
  meaning: string;
  criteria: string;
}

/** A lifecycle group's badge that says what the group means on hover (and to screen readers, on focus). */
export function LifecycleBadge({ group, definition }: { group: LifecycleGroup; definition: LifecycleDefinitionView }) {
  return (
    <Tooltip
      content={
        <BlockStack gap="100">
          <Text as="span" fontWeight="semibold">
            {definition.meaning}
          </Text>
          <Text as="span">{definition.criteria}</Text>
        </BlockStack>
      }
    >
      <Badge tone={LIFECYCLE_BADGE_TONE[group]}>{definition.label}</Badge>
    </Tooltip>
  );
}

/** Every group with its meaning and thresholds, for the pages where merchants meet the groups. */
export function LifecycleLegend({ definitions }: { definitions: Record<LifecycleGroup, LifecycleDefinitionView> }) {
  return (
    <BlockStack gap="200">
      {(Object.keys(LIFECYCLE_BADGE_TONE) as LifecycleGroup[]).map((key) => (
        <BlockStack key={key} gap="050">
          <Text as="p">
            <Badge tone={LIFECYCLE_BADGE_TONE[key]}>{definitions[key].label}</Badge> {definitions[key].meaning}
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            {definitions[key].criteria}
          </Text>
        </BlockStack>
      ))}
    </BlockStack>
  );
}
