import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { LifecycleGroup } from "../retention/segments/lifecycle";
import { getShop } from "../models/shop.server";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { writeBackStatus } from "../models/views/segment-views.server";
import { KINSHIP_TAG_PREFIX } from "../retention/segments/tags";
import { segmentFigures } from "../models/views/dashboard-views.server";
import { figuresShownWithTime } from "../jobs/dashboard-figures.server";
import { getShopSettings, lifecycleToForm } from "../models/shop-settings.server";
import { readModelState } from "../models/model-state.server";
import { translate } from "../i18n";
import { lifecycleGroupDefinitions, pageContext, pageMessages } from "../services/page-context.server";
import { LifecycleBadge } from "../components/LifecycleBadge";
import { saveLifecycleForm } from "../services/lifecycle-settings.server";
import { I18nProvider, useAppPath, useI18n } from "../components/I18n";
import { RfmHeatmap } from "../components/RfmHeatmap";
import { LifecycleSettingsForm, type LifecycleFormValues } from "../components/LifecycleSettingsForm";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await pageContext(request);
  const { shop, locale, format: f } = ctx;
  // The grid and the lifecycle groups as stored with the dashboard's figures (decision 028), not counted per load.
  const [figures, writeBack, settings, shopRow, definitions] = await Promise.all([
    segmentFigures(shop),
    writeBackStatus(shop),
    getShopSettings(shop),
    getShop(shop),
    lifecycleGroupDefinitions(ctx),
  ]);
  const { grid, lifecycle: groups } = figures;
  const model = readModelState(shopRow?.modelState);
  const lc = settings.lifecycle;
  const days = (n: number) => f.number(n, { maximumFractionDigits: 0 });
  const typical = model.cadence?.typicalIntervalDays;
  const segmentLabel = (s: string) => translate(locale, `rfm.segment.${s}` as "rfm.segment.champions");
  return json({
    locale,
    messages: pageMessages(locale, ["segments", "lifecycle", "lifecycleForm", "rfm"]),
    title: translate(locale, "segments.title"),
    // Said with their time as on the dashboard: unless counted within the last minute with no refresh waiting.
    figuresAsOf: figuresShownWithTime(shop, figures.figuresAsOf)
      ? translate(locale, "segments.figuresAsOf", { when: f.dateTime(figures.figuresAsOf) })
      : null,
    scored: grid.scored,
    cells: grid.cells.map((row) =>
      row.map((cell) => ({
        r: cell.r,
        f: cell.f,
        segment: cell.segment,
        segmentLabel: segmentLabel(cell.segment),
        customers: f.number(cell.customers),
        revenue: f.money(cell.revenue, { compact: true }),
        intensity: grid.maxCustomers ? cell.customers / grid.maxCustomers : 0,
      })),
    ),
    segments: grid.segments
      .filter((s) => s.customers > 0)
      .sort((a, b) => b.revenue - a.revenue)
      .map((s) => ({
        key: s.segment,
        label: segmentLabel(s.segment),
        customers: f.number(s.customers),
        share: grid.scored ? f.percent(s.customers / grid.scored, 1) : "—",
        revenue: f.money(s.revenue),
        action: translate(locale, `rfm.action.${s.segment}` as "rfm.action.champions"),
      })),
    groups: groups
      .filter((g) => g.key !== null)
      .map((g) => ({ key: g.key as LifecycleGroup, count: f.number(g.count), definition: definitions[g.key as LifecycleGroup] })),
    unscored: f.number(groups.find((g) => g.key === null)?.count ?? 0),
    typicalInterval: typical ? translate(locale, "segments.typicalInterval", { days: days(typical) }) : null,
    form: lifecycleToForm(lc),
    writeBack: {
      prefix: KINSHIP_TAG_PREFIX,
      scored: writeBack.scored,
      upToDate: writeBack.upToDate,
      upToDatePercent: writeBack.scored ? Math.round((writeBack.upToDate / writeBack.scored) * 100) : 0,
      text: translate(locale, "segments.writeBackStatus", {
        upToDate: f.number(writeBack.upToDate),
        scored: f.number(writeBack.scored),
        prefix: KINSHIP_TAG_PREFIX,
      }),
      tagged: translate(locale, "segments.writeBackTagged", {
        tagged: f.number(writeBack.tagged),
        untagged: f.number(writeBack.customers - writeBack.tagged),
      }),
      // Kinship's lifecycle segments in Shopify (Settings creates them, decision 025).
      segments: writeBack.shopifySegments
        .filter((key) => key.startsWith("lifecycle:"))
        .map((key) => translate(locale, `lifecycle.${key.slice("lifecycle:".length)}` as "lifecycle.new")),
    },
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, locale } = await pageContext(request);
  const form = await request.formData();
  if (form.get("intent") === "lifecycle") return json(await saveLifecycleForm(shop, form, locale));
  return json({ intent: "unknown", ok: false, message: translate(locale, "common.unknownAction") }, { status: 400 });
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function GridCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const path = useAppPath();
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("segments.gridTitle")}
        </Text>
        {data.scored === 0 ? (
          <Text as="p" tone="subdued">
            {t("segments.gridEmpty")}
          </Text>
        ) : (
          <>
            <RfmHeatmap cells={data.cells} />
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric", "text"]}
              headings={[
                t("segments.col.segment"),
                t("segments.col.customers"),
                t("segments.col.share"),
                t("segments.col.revenue"),
                t("segments.col.action"),
              ]}
              rows={data.segments.map((s) => [
                <RemixLink key={s.key} to={path("/app/customers", { rfmSegment: s.key })}>
                  {s.label}
                </RemixLink>,
                s.customers,
                s.share,
                s.revenue,
                s.action,
              ])}
            />
          </>
        )}
      </BlockStack>
    </Card>
  );
}

function GroupsCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const path = useAppPath();
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("segments.groupsTitle")}
        </Text>
        {data.groups.map((g) => (
          <BlockStack key={g.key} gap="100">
            <InlineStack gap="200" blockAlign="center">
              <LifecycleBadge group={g.key} definition={g.definition} />
              <RemixLink to={path("/app/customers", { lifecycle: g.key })}>{t("segments.groupCount", { count: g.count })}</RemixLink>
            </InlineStack>
            <Text as="p" fontWeight="semibold">
              {g.definition.meaning}
            </Text>
            <Text as="p">{g.definition.criteria}</Text>
          </BlockStack>
        ))}
        <Text as="p" tone="subdued">
          {t("segments.unscored", { count: data.unscored })} {data.typicalInterval ?? ""}
        </Text>
        <Text as="h3" variant="headingSm">
          {t("segments.thresholdsTitle")}
        </Text>
        <Text as="p" tone="subdued">
          {t("segments.thresholdsHelp")}
        </Text>
        <LifecycleSettingsForm initial={data.form as LifecycleFormValues} />
      </BlockStack>
    </Card>
  );
}

function WriteBackCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const wb = data.writeBack;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("segments.writeBackTitle")}
        </Text>
        <Text as="p" tone="subdued">
          {t("segments.writeBackHelp", { prefix: wb.prefix })}
        </Text>
        {wb.scored === 0 ? (
          <Text as="p" tone="subdued">
            {t("segments.writeBackEmpty")}
          </Text>
        ) : (
          <BlockStack gap="100">
            <ProgressBar progress={wb.upToDatePercent} tone={wb.upToDatePercent === 100 ? "success" : "highlight"} size="small" />
            <Text as="p">{wb.text}</Text>
            <Text as="p" tone="subdued">
              {wb.tagged}
            </Text>
          </BlockStack>
        )}
        <Text as="p">
          {wb.segments.length ? t("segments.shopifySegments", { groups: wb.segments.join(", ") }) : t("segments.noShopifySegments")}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function SegmentsPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={data.locale} messages={data.messages}>
      <Page title={data.title}>
        <Layout>
          {data.figuresAsOf ? (
            <Layout.Section>
              <Text as="p" tone="subdued">
                {data.figuresAsOf}
              </Text>
            </Layout.Section>
          ) : null}
          <Layout.Section>
            <GridCard data={data} />
          </Layout.Section>
          <Layout.Section>
            <GroupsCard data={data} />
          </Layout.Section>
          <Layout.Section>
            <WriteBackCard data={data} />
          </Layout.Section>
        </Layout>
      </Page>
    </I18nProvider>
  );
}

export { RouteError as ErrorBoundary } from "../components/RouteError";
