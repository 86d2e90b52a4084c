import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { FollowUpEffectView } from "../../services/feedback-views";

/** "Did it work?": resolved unhappy customers' return rate against those nobody answered, with the verdict. */
export function FollowUpEffectCard({
  effect,
  title,
  resolvedLabel,
  unansweredLabel,
}: {
  effect: FollowUpEffectView;
  title: string;
  resolvedLabel: string;
  unansweredLabel: string;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          <Badge tone={effect.tone}>{effect.stateLabel}</Badge>
        </InlineStack>
        <Text as="p" tone="subdued">
          {effect.stateHelp}
        </Text>
        <BlockStack gap="100">
          <Text as="p">
            <Text as="span" fontWeight="semibold">
              {resolvedLabel}
            </Text>{" "}
            {effect.resolved}
          </Text>
          <Text as="p">
            <Text as="span" fontWeight="semibold">
              {unansweredLabel}
            </Text>{" "}
            {effect.unanswered}
          </Text>
          {effect.difference ? <Text as="p">{effect.difference}</Text> : null}
          {effect.pending ? (
            <Text as="p" tone="subdued">
              {effect.pending}
            </Text>
          ) : null}
        </BlockStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {effect.method}
        </Text>
      </BlockStack>
    </Card>
  );
}
