import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { useI18n } from "./I18n";

export interface ShopifySegmentsCardProps {
  created: boolean;
  rows: { key: string; name: string; query: string; status: "inShopify" | "pending" | "notCreated" }[];
}

interface ActionResult {
  intent: string;
  ok: boolean;
  message?: string;
}

const TONE = { inShopify: "success", pending: "attention", notCreated: undefined } as const;

/** Kinship's segments in Shopify: what each selects, whether Shopify has it, create/update and remove (decision 025). */
export function ShopifySegmentsCard({ segments }: { segments: ShopifySegmentsCardProps }) {
  const { t } = useI18n();
  const fetcher = useFetcher<ActionResult>();
  const result = fetcher.data?.intent === "shopifySegments" ? fetcher.data : null;
  const busy = fetcher.state !== "idle";
  const submit = (operation: "sync" | "remove") => fetcher.submit({ intent: "shopifySegments", operation }, { method: "post" });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("settings.segmentsTitle")}
        </Text>
        <Text as="p" tone="subdued">
          {t("settings.segmentsHelp")}
        </Text>
        {result?.message ? (
          <Banner tone={result.ok ? "success" : "critical"}>
            <p>{result.message}</p>
          </Banner>
        ) : null}
        <DataTable
          columnContentTypes={["text", "text", "text"]}
          headings={[t("settings.segmentsCol.name"), t("settings.segmentsCol.query"), t("settings.segmentsCol.status")]}
          rows={segments.rows.map((row) => [
            row.name,
            <Text as="span" key={row.key} variant="bodySm" tone="subdued">
              <code>{row.query}</code>
            </Text>,
            <Badge key={`${row.key}-status`} tone={TONE[row.status]}>
              {t(`settings.segmentsStatus.${row.status}`)}
            </Badge>,
          ])}
        />
        <Text as="p" tone="subdued">
          {t("settings.segmentsValues")} {t("settings.segmentsUninstall")}
        </Text>
        <InlineStack align="end" gap="200">
          {segments.created ? (
            <Button tone="critical" onClick={() => submit("remove")} loading={busy}>
              {t("settings.segmentsRemove")}
            </Button>
          ) : null}
          <Button variant="primary" onClick={() => submit("sync")} loading={busy}>
            {segments.created ? t("settings.segmentsUpdate") : t("settings.segmentsCreate")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
