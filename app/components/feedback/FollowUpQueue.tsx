import { Badge, BlockStack, Box, Card, IndexTable, InlineStack, Link, Pagination, Select, Text } from "@shopify/polaris";
import { useI18n } from "../I18n";
import type { QueueRowView } from "../../services/feedback-views";

export interface FollowUpQueueProps {
  /** Who is in the queue and the response target, filled in by the page. */
  help: string;
  /** Set when the queue holds more items than it shows. */
  truncated: string | null;
  rows: QueueRowView[];
  sort: "value" | "age";
  show: "open" | "all";
  /** Link to one item (keeps the page's query, e.g. the admin locale). */
  itemUrl: (id: string) => string;
  /** Shown under the table when the queue has more than one page. */
  paging?: { page: number; pages: number; label: string | null };
  onChange: (change: { sort?: "value" | "age"; show?: "open" | "all"; page?: number }) => void;
}

export function FollowUpQueue({ help, truncated, rows, sort, show, itemUrl, paging, onChange }: FollowUpQueueProps) {
  const { t } = useI18n();
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <Box padding="400">
          <BlockStack gap="300">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                {t("feedback.queue.title")}
              </Text>
              <Text as="p" tone="subdued">
                {help}
              </Text>
            </BlockStack>
            <InlineStack gap="400" wrap>
              <Select
                label={t("feedback.queue.sort")}
                labelInline
                options={[
                  { label: t("feedback.queue.sortValue"), value: "value" },
                  { label: t("feedback.queue.sortAge"), value: "age" },
                ]}
                value={sort}
                onChange={(value) => onChange({ sort: value === "age" ? "age" : "value", page: 1 })}
              />
              <Select
                label={t("feedback.queue.show")}
                labelInline
                options={[
                  { label: t("feedback.queue.showOpen"), value: "open" },
                  { label: t("feedback.queue.showAll"), value: "all" },
                ]}
                value={show}
                onChange={(value) => onChange({ show: value === "all" ? "all" : "open", page: 1 })}
              />
            </InlineStack>
            {truncated ? (
              <Text as="p" tone="subdued" variant="bodySm">
                {truncated}
              </Text>
            ) : null}
          </BlockStack>
        </Box>
        {rows.length === 0 ? (
          <Box padding="400" paddingBlockStart="0">
            <Text as="p" tone="subdued">
              {t("feedback.queue.empty")}
            </Text>
          </Box>
        ) : (
          <IndexTable
            resourceName={{ singular: t("feedback.queue.title"), plural: t("feedback.queue.title") }}
            itemCount={rows.length}
            selectable={false}
            headings={[
              { title: t("feedback.queue.colCustomer") },
              { title: t("feedback.queue.colScore"), alignment: "end" },
              { title: t("feedback.queue.colReasons") },
              { title: t("feedback.queue.colComment") },
              { title: t("feedback.queue.colValue"), alignment: "end" },
              { title: t("feedback.queue.colWaiting"), alignment: "end" },
              { title: t("feedback.queue.colStatus") },
            ]}
          >
            {rows.map((row, index) => (
              <IndexTable.Row id={row.id} key={row.id} position={index}>
                <IndexTable.Cell>
                  <Link url={itemUrl(row.id)} removeUnderline dataPrimaryLink>
                    {row.customer}
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {row.score}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{row.reasons}</IndexTable.Cell>
                <IndexTable.Cell>
                  {/* Text node only: comments are untrusted. */}
                  <Text as="span" tone="subdued" truncate>
                    {row.comment ?? ""}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {row.value}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {row.waiting}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={row.badge.tone}>{row.badge.label}</Badge>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
        {paging && paging.pages > 1 ? (
          <Box padding="300">
            <InlineStack align="center">
              <Pagination
                hasPrevious={paging.page > 1}
                hasNext={paging.page < paging.pages}
                onPrevious={() => onChange({ page: paging.page - 1 })}
                onNext={() => onChange({ page: paging.page + 1 })}
                label={paging.label ?? ""}
              />
            </InlineStack>
          </Box>
        ) : null}
      </BlockStack>
    </Card>
  );
}
