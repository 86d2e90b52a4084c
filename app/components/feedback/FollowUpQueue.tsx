import { Badge, BlockStack, Box, Card, IndexTable, InlineStack, Link, Pagination, Select, Text } from "@shopify/polaris";
import type { QueueRowView } from "./types";

export interface FollowUpQueueLabels {
  title: string;
  help: string;
  sort: string;
  sortValue: string;
  sortAge: string;
  show: string;
  showOpen: string;
  showAll: string;
  empty: string;
  truncated: string | null;
  colCustomer: string;
  colScore: string;
  colReasons: string;
  colComment: string;
  colValue: string;
  colWaiting: string;
  colStatus: string;
}

export interface FollowUpQueueProps {
  labels: FollowUpQueueLabels;
  rows: QueueRowView[];
  sort: "value" | "age";
  show: "open" | "all";
  /** Link to one item (keeps the page's query, e.g. the admin locale). */
  itemUrl: (id: string) => string;
  /** Shown under the table when the queue has more than one page. */
  paging?: { page: number; pages: number; label: string | null };
  onChange: (change: { sort?: "value" | "age"; show?: "open" | "all"; page?: number }) => void;
}

export function FollowUpQueue({ labels, rows, sort, show, itemUrl, paging, onChange }: FollowUpQueueProps) {
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <Box padding="400">
          <BlockStack gap="300">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                {labels.title}
              </Text>
              <Text as="p" tone="subdued">
                {labels.help}
              </Text>
            </BlockStack>
            <InlineStack gap="400" wrap>
              <Select
                label={labels.sort}
                labelInline
                options={[
                  { label: labels.sortValue, value: "value" },
                  { label: labels.sortAge, value: "age" },
                ]}
                value={sort}
                onChange={(value) => onChange({ sort: value === "age" ? "age" : "value", page: 1 })}
              />
              <Select
                label={labels.show}
                labelInline
                options={[
                  { label: labels.showOpen, value: "open" },
                  { label: labels.showAll, value: "all" },
                ]}
                value={show}
                onChange={(value) => onChange({ show: value === "all" ? "all" : "open", page: 1 })}
              />
            </InlineStack>
            {labels.truncated ? (
              <Text as="p" tone="subdued" variant="bodySm">
                {labels.truncated}
              </Text>
            ) : null}
          </BlockStack>
        </Box>
        {rows.length === 0 ? (
          <Box padding="400" paddingBlockStart="0">
            <Text as="p" tone="subdued">
              {labels.empty}
            </Text>
          </Box>
        ) : (
          <IndexTable
            resourceName={{ singular: labels.title, plural: labels.title }}
            itemCount={rows.length}
            selectable={false}
            headings={[
              { title: labels.colCustomer },
              { title: labels.colScore, alignment: "end" },
              { title: labels.colReasons },
              { title: labels.colComment },
              { title: labels.colValue, alignment: "end" },
              { title: labels.colWaiting, alignment: "end" },
              { title: labels.colStatus },
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
