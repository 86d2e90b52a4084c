import { useEffect, useState } from "react";
import { Banner, BlockStack, Card, Text } from "@shopify/polaris";
import { useI18n } from "./I18n";

/** One thing that stops rewards from reaching people, as the server counted it (texts already translated). */
export interface HealthItem {
  id: "noFlow" | "consent" | "refused";
  title: string;
  count: string;
  fix: string;
}

// The survey extension (extensions/feedback-survey/shopify.extension.toml) and the pages it thanks customers on.
const SURVEY_HANDLE = "feedback-survey";
const SURVEY_TARGETS = [
  { target: "purchase.thank-you.block.render", label: "dashboard.health.survey.thankYou" },
  { target: "customer-account.order-status.block.render", label: "dashboard.health.survey.orderStatus" },
] as const;

type SurveyPlacement =
  { state: "checking" } | { state: "unknown" } | { state: "checked"; missing: (typeof SURVEY_TARGETS)[number]["label"][] };

interface ExtensionInfo {
  handle: string;
  activations?: Array<{ target?: string }>;
}

/**
 * Where the survey block is placed, from App Bridge's `shopify.app.extensions()` (a Promise of
 * `{ handle, type, activations: [{ target }] }`): only the browser inside the admin can ask.
 */
function useSurveyPlacement(): SurveyPlacement {
  const [placement, setPlacement] = useState<SurveyPlacement>({ state: "checking" });
  useEffect(() => {
    const app = (window as unknown as { shopify?: { app?: { extensions?: () => Promise<ExtensionInfo[]> } } }).shopify?.app;
    if (!app?.extensions) {
      setPlacement({ state: "unknown" });
      return;
    }
    let live = true;
    app.extensions().then(
      (extensions) => {
        const survey = extensions.find((e) => e.handle === SURVEY_HANDLE);
        const active = new Set((survey?.activations ?? []).map((a) => a.target));
        if (live) setPlacement({ state: "checked", missing: SURVEY_TARGETS.filter((s) => !active.has(s.target)).map((s) => s.label) });
      },
      () => live && setPlacement({ state: "unknown" }),
    );
    return () => {
      live = false;
    };
  }, []);
  return placement;
}

/** Whether the customer account page "My rewards" is in use, said in one translated line. */
export interface RewardsPageHealth {
  inUse: boolean;
  line: string;
}

export function ReachHealthCard({
  items,
  freshness,
  rewardsPage,
}: {
  items: HealthItem[];
  freshness: string[];
  rewardsPage?: RewardsPageHealth;
}) {
  const { t } = useI18n();
  const survey = useSurveyPlacement();
  const warnings = [...items];
  const surveyMissing = survey.state === "checked" && survey.missing.length > 0;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.health.title")}
        </Text>
        {warnings.map((item) => (
          <div key={item.id} data-health-item={item.id}>
            <Banner tone="warning" title={item.title}>
              <BlockStack gap="100">
                <Text as="p">{item.count}</Text>
                <Text as="p">{item.fix}</Text>
              </BlockStack>
            </Banner>
          </div>
        ))}
        {surveyMissing ? (
          <div data-health-item="survey">
            <Banner tone="warning" title={t("dashboard.health.survey.title")}>
              <BlockStack gap="100">
                <Text as="p">{t("dashboard.health.survey.missing", { pages: survey.missing.map((label) => t(label)).join(", ") })}</Text>
                <Text as="p">{t("dashboard.health.survey.fix")}</Text>
              </BlockStack>
            </Banner>
          </div>
        ) : null}
        {survey.state === "unknown" ? (
          <Text as="p" tone="subdued">
            {t("dashboard.health.survey.unknown")}
          </Text>
        ) : null}
        {warnings.length === 0 && !surveyMissing ? (
          <div data-health-item="allGood">
            <Banner tone="success">
              <p>{t("dashboard.health.allGood")}</p>
            </Banner>
          </div>
        ) : null}
        {rewardsPage ? (
          <div data-health-item="rewardsPage" data-in-use={rewardsPage.inUse ? "true" : "false"}>
            <Text as="p" tone={rewardsPage.inUse ? "success" : "subdued"}>
              {rewardsPage.line}
            </Text>
          </div>
        ) : null}
        {freshness.map((line) => (
          <Text key={line} as="p" tone="subdued">
            {line}
          </Text>
        ))}
      </BlockStack>
    </Card>
  );
}
