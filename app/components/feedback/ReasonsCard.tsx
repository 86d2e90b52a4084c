import { BlockStack, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useI18n } from "../I18n";
import type { ReasonView } from "../../services/feedback-views";

export function ReasonsCard({ reasons }: { reasons: ReasonView[] }) {
  const { t } = useI18n();
  const named = reasons.some((r) => r.count > 0);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("feedback.reasons.title")}
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
            {t("feedback.reasons.empty")}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
