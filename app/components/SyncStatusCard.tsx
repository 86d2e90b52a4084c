import { useEffect } from "react";
import { useFetcher, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Spinner, Text } from "@shopify/polaris";
import { useI18n } from "./I18n";
import type { BackfillActionData, SyncStatusProps } from "../services/sync-status.server";

// A backfill of a large shop runs for minutes; the page refreshes its progress on its own.
const POLL_MS = 4_000;

export function SyncStatusCard({ sync }: { sync: SyncStatusProps | null }) {
  const { t } = useI18n();
  const fetcher = useFetcher<BackfillActionData>();
  const revalidator = useRevalidator();
  const starting = fetcher.state !== "idle";
  const active = sync?.active ?? false;

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  const runButton = (label: string, primary: boolean) => (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="backfill" />
      <Button submit variant={primary ? "primary" : "secondary"} loading={starting} disabled={active}>
        {label}
      </Button>
    </fetcher.Form>
  );

  const result = fetcher.data?.intent === "backfill" ? fetcher.data : null;

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            {t("sync.title")}
          </Text>
          {sync && !active ? runButton(t("sync.runAgain"), false) : null}
        </InlineStack>
        {result && !result.ok ? (
          <Banner tone="critical" title={t("sync.startFailed")}>
            <p>{result.message}</p>
          </Banner>
        ) : null}
        {!sync ? (
          <BlockStack gap="200">
            <Text as="p">{t("sync.never")}</Text>
            <InlineStack>{runButton(t("sync.run"), true)}</InlineStack>
          </BlockStack>
        ) : active ? (
          <BlockStack gap="200">
            <Text as="p">{t("sync.running", { started: sync.startedAt })}</Text>
            {sync.percent === null ? (
              <InlineStack gap="200" blockAlign="center">
                <Spinner size="small" accessibilityLabel={t("sync.preparing")} />
                <Text as="span" tone="subdued">
                  {t("sync.preparing")}
                </Text>
              </InlineStack>
            ) : (
              <BlockStack gap="100">
                <ProgressBar progress={sync.percent} tone="primary" ariaLabelledBy="sync-progress-label" />
                <Text as="p" tone="subdued" id="sync-progress-label">
                  {t("sync.progress", { processed: sync.processed, expected: sync.expected ?? "?", percent: Math.round(sync.percent) })}
                </Text>
              </BlockStack>
            )}
          </BlockStack>
        ) : sync.status === "failed" ? (
          <Banner tone="critical" title={t("sync.failed")}>
            <BlockStack gap="100">
              {sync.error ? <p>{sync.error}</p> : null}
              {sync.nextRetryAt ? <p>{t("sync.retryAt", { time: sync.nextRetryAt })}</p> : null}
            </BlockStack>
          </Banner>
        ) : (
          <Text as="p">
            {t("sync.completed", { finished: sync.finishedAt ?? sync.startedAt, customers: sync.customers, orders: sync.orders })}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
