import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Modal, Text } from "@shopify/polaris";
import { useI18n } from "./I18n";
import type { IssuanceActionData, IssuanceStatusProps } from "../services/issuance-status.server";

/**
 * Codes by state, the next run, and (shop-wide) Pause all / Resume / Cancel queued. The buttons post
 * to the page's own action, which hands them to the issuance service.
 */
export function IssuanceStatusCard({ status, title, controls }: { status: IssuanceStatusProps; title?: string; controls: boolean }) {
  const { t } = useI18n();
  const fetcher = useFetcher<IssuanceActionData>();
  const [confirming, setConfirming] = useState(false);
  const busy = fetcher.state !== "idle";
  const send = (intent: string) => fetcher.submit({ intent }, { method: "post" });
  const result = fetcher.data && "intent" in fetcher.data ? fetcher.data : null;

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title ?? t("issued.title")}
        </Text>
        {status.paused ? (
          <Banner tone="warning" title={t("issued.pausedTitle")}>
            <p>{t("issued.pausedBody", { time: status.pausedSince ?? "" })}</p>
          </Banner>
        ) : null}
        {result ? <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner> : null}
        <InlineGrid columns={2} gap="100">
          {status.counts
            .filter((c) => c.count > 0 || ["queued", "creating", "delivered", "failed", "withheld"].includes(c.state))
            .flatMap((c) => [
              <Text as="p" key={`${c.state}-label`} tone={c.state === "failed" && c.count > 0 ? "critical" : undefined}>
                {t(`issued.state.${c.state}`)}
              </Text>,
              <Text as="p" key={`${c.state}-count`} alignment="end">
                {c.text}
              </Text>,
            ])}
        </InlineGrid>
        <Text as="p" tone="subdued">
          {status.paused
            ? t("issued.nextRunPaused")
            : status.nextRunDue
              ? t("issued.nextRunDue")
              : t("issued.nextRun", { time: status.nextRun ?? "" })}
        </Text>
        {status.run === "running" ? <Text as="p">{t("issued.running")}</Text> : null}
        {!status.paused && status.unfinished > 0 && status.run !== "running" ? (
          <Text as="p">{t("issued.unfinished", { count: status.unfinishedText })}</Text>
        ) : null}
        {controls ? (
          <InlineStack gap="200">
            {status.paused ? (
              <Button onClick={() => send("resumeAll")} loading={busy}>
                {t("issued.action.resumeAll")}
              </Button>
            ) : (
              <Button onClick={() => send("pauseAll")} loading={busy}>
                {t("issued.action.pauseAll")}
              </Button>
            )}
            <Button tone="critical" onClick={() => setConfirming(true)} disabled={status.queued === 0 || busy}>
              {t("issued.action.cancelQueued")}
            </Button>
          </InlineStack>
        ) : null}
      </BlockStack>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title={t("issued.cancelConfirm.title")}
        primaryAction={{
          content: t("issued.action.cancelQueued"),
          destructive: true,
          loading: busy,
          onAction: () => {
            send("cancelQueued");
            setConfirming(false);
          },
        }}
        secondaryActions={[{ content: t("issued.cancelConfirm.keep"), onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <Text as="p">{t("issued.cancelConfirm.body", { count: status.queuedText })}</Text>
        </Modal.Section>
      </Modal>
    </Card>
  );
}
