import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  DataTable,
  Divider,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { customerView } from "../models/views/customer-views.server";
import { listConsents } from "../models/consent-records.server";
import { translate, translatePlural } from "../i18n";
import { lifecycleReasonText } from "../i18n/lifecycle-reason";
import { lifecycleGroupDefinitions, pageContext, pageMessages } from "../services/page-context.server";
import { LifecycleBadge } from "../components/LifecycleBadge";
import { I18nProvider, useAppPath, useI18n } from "../components/I18n";
import type { LifecycleGroup } from "../retention/segments/lifecycle";
import { MetricTile } from "../components/MetricTile";
import { notFound } from "../components/RouteError";
import { customerRanges } from "../retention/score-ranges";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await pageContext(request);
  const { shop, locale, format: f } = ctx;
  const messages = pageMessages(locale, ["customer", "lifecycle", "rfm", "issued", "forecast"]);
  const [view, definitions] = await Promise.all([customerView(shop, params.id ?? ""), lifecycleGroupDefinitions(ctx)]);
  if (!view) throw notFound("customer");
  const consents = await listConsents(shop, view.customer.shopifyId);
  const c = view.customer;
  const name = [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || translate(locale, "customers.unnamed");
  const model = view.model.model;
  const s = view.summary;
  // Issue 19 "how sure": computed on read from the stored parameter distributions (about a millisecond).
  const ranges = view.model.ranges && s && c.predictedClv !== null ? customerRanges(view.model.ranges, s) : null;
  const level = ranges ? f.percent(ranges.level, 0) : "";
  return json({
    locale,
    messages,
    title: name,
    numericId: view.numericId,
    email: c.email,
    birthday: c.birthday ? f.calendarDate(c.birthday) : null,
    marketing: c.marketingState === "SUBSCRIBED",
    consents: consents.map((r) => ({
      purpose: translate(locale, `customer.consentPurpose.${r.purpose}`),
      answer: translate(locale, r.granted ? "customer.consentGranted" : "customer.consentWithdrawn"),
      when: f.dateTime(r.givenAt),
      where: translate(locale, `customer.consentSource.${r.source}`),
      text: r.textVersion ?? (r.source.startsWith("shopify") ? translate(locale, "customer.consentTextShopify") : "—"),
    })),
    shopifyRfmGroup: c.shopifyRfmGroup,
    tags: c.tags
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
    lifecycle: c.lifecycle,
    definition: c.lifecycle && c.lifecycle in definitions ? definitions[c.lifecycle as LifecycleGroup] : null,
    lifecycleLabel: c.lifecycle
      ? translate(locale, `lifecycle.${c.lifecycle}` as "lifecycle.new")
      : translate(locale, "lifecycle.unscored"),
    reason: view.reason.reason ? lifecycleReasonText(view.reason.reason, locale) : view.reason.text,
    lapsedSince: c.lapsedSince ? f.date(c.lapsedSince) : null,
    scoredAt: c.scoredAt ? f.dateTime(c.scoredAt) : null,
    rfm:
      c.rfmRecency && c.rfmFrequency && c.rfmMonetary
        ? {
            r: c.rfmRecency,
            f: c.rfmFrequency,
            m: c.rfmMonetary,
            segment: c.rfmSegment ? translate(locale, `rfm.segment.${c.rfmSegment}` as "rfm.segment.champions") : null,
          }
        : null,
    value: {
      totalSpent: f.money(c.totalSpent),
      orders: translatePlural(locale, "customer.orders", c.orderCount),
      firstOrder: c.firstOrderAt ? f.date(c.firstOrderAt) : null,
      lastOrder: c.lastOrderAt ? f.date(c.lastOrderAt) : null,
      // What the past orders are worth per year (AOV × orders a year); the lifetime figure multiplies it by the
      // shop's lifespan, which made "Historic value" read as smaller than what the customer had already spent.
      valuePerYear: view.historic ? f.money(view.historic.averageOrderValue * view.historic.purchaseFrequencyPerYear) : "—",
      valuePerYearFormula: view.historic
        ? translate(locale, "customer.valuePerYearFormula", {
            aov: f.money(view.historic.averageOrderValue),
            frequency: f.number(view.historic.purchaseFrequencyPerYear, { maximumFractionDigits: 2 }),
          })
        : null,
      predictedClv: c.predictedClv === null ? null : f.money(c.predictedClv),
      expectedPurchases: c.expectedPurchases === null ? null : f.number(c.expectedPurchases, { maximumFractionDigits: 2 }),
      ranges: ranges
        ? {
            clv: translate(locale, "forecast.clvRange", { level, low: f.money(ranges.clv.low), high: f.money(ranges.clv.high) }),
            purchases: translate(locale, "forecast.purchasesRange", {
              level,
              low: f.number(ranges.purchases.low, { maximumFractionDigits: 2 }),
              high: f.number(ranges.purchases.high, { maximumFractionDigits: 2 }),
            }),
            // Decision 017: when the shop is scored with Pareto/NBD or MBG/NBD, the ranges are still BG/NBD's; say so.
            help: [
              translate(locale, "forecast.rangeHelp", { level }),
              model?.status === "fitted" && model.purchase
                ? translate(locale, "forecast.rangeFromBgnbd", { model: translate(locale, `insights.model.${model.purchase.model}`) })
                : null,
            ]
              .filter(Boolean)
              .join(" "),
          }
        : null,
      // BG/NBD gives every one-time buyer P(alive) = 1: the model cannot judge them yet.
      pAlive: c.orderCount <= 1 ? null : c.pAlive,
      pAliveText: c.pAlive === null || c.orderCount <= 1 ? null : f.percent(c.pAlive, 0),
      oneTimeBuyer: c.orderCount <= 1 && c.pAlive !== null,
      inputs: s
        ? {
            x: translatePlural(locale, "customer.repeatDays", s.frequency),
            recency: translatePlural(locale, "reason.days", Math.round(s.recency)),
            T: translatePlural(locale, "reason.days", Math.round(s.T)),
            monetary: s.frequency > 0 ? f.money(s.monetaryValue) : null,
            asOf: f.calendarDate(view.asOf),
          }
        : null,
      model:
        model?.status === "fitted"
          ? {
              bgnbd: ["r", "alpha", "a", "b"].map((k) => ({
                name: k === "alpha" ? "α" : k,
                value: f.number(model.bgnbd[k as "r" | "alpha" | "a" | "b"], { maximumSignificantDigits: 4 }),
              })),
              gammaGamma: model.gammaGamma
                ? (["p", "q", "v"] as const).map((k) => ({
                    name: k,
                    value: f.number(model.gammaGamma![k], { maximumSignificantDigits: 4 }),
                  }))
                : null,
            }
          : null,
      modelInsufficient: model?.status === "insufficient" ? model.reason : null,
    },
    tier: c.tier,
    tierSince: c.tierSince ? f.date(c.tierSince) : null,
    tierHistory: view.tierHistory.map((h) => ({
      on: f.calendarDate(h.on),
      text: translate(locale, `customer.tierChange.${h.direction}` as "customer.tierChange.up", {
        from: h.from ?? translate(locale, "customer.noTier"),
        to: h.to ?? translate(locale, "customer.noTier"),
      }),
    })),
    orders: view.orders.map((o) => ({
      name: o.name ?? o.shopifyId.replace(/^gid:\/\/shopify\/Order\//, "#"),
      numericId: /\/(\d+)$/.exec(o.shopifyId)?.[1] ?? null,
      date: f.dateTime(o.processedAt),
      total: f.money(o.totalPrice),
      refunded: o.totalRefunded > 0 ? f.money(o.totalRefunded) : "—",
      net: f.money(o.netTotal),
      codes: o.discountCodes || "—",
      status: o.test ? "test" : o.cancelledAt ? "cancelled" : null,
    })),
    ordersNote:
      view.orderTotal > view.orders.length
        ? translate(locale, "customer.ordersShown", { shown: view.orders.length, total: view.orderTotal })
        : null,
    discounts: view.discounts.map((d) => ({
      id: d.id,
      code: d.code ?? "—",
      rule: d.ruleName ?? "—",
      status: d.redeemedAt ? "redeemed" : d.status,
      value: d.amount === null ? "" : f.number(d.amount),
      validUntil: d.endsAt ? f.date(d.endsAt) : "—",
      redeemed: d.redeemedAt ? `${f.date(d.redeemedAt)} · ${f.money(d.redeemedRevenue)}` : "—",
    })),
    feedback: view.feedback.map((fb) => ({
      id: fb.id,
      score: fb.score,
      reasons: fb.reasons,
      comment: fb.comment,
      status: fb.status,
      date: f.date(fb.createdAt),
    })),
  });
};

type Found = ReturnType<typeof useLoaderData<typeof loader>>;

function ForecastRange({ clv, purchases, help }: { clv: string; purchases: string; help: string }) {
  return (
    <Text as="p" variant="bodySm" tone="subdued">
      <span title={help} data-testid="clv-range">
        {clv}
      </span>
      <br />
      <span data-testid="purchases-range">{purchases}</span>
    </Text>
  );
}

function ValueCard({ data }: { data: Found }) {
  const { t } = useI18n();
  const v = data.value;
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("customer.valueTitle")}
        </Text>
        <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
          <MetricTile label={t("customer.totalSpent")} value={v.totalSpent} help={v.orders} />
          <MetricTile label={t("customer.valuePerYear")} value={v.valuePerYear} help={v.valuePerYearFormula ?? undefined} />
          <MetricTile
            label={t("customer.predictedClv")}
            value={v.predictedClv ?? "—"}
            help={v.expectedPurchases ? t("customer.expectedPurchases", { purchases: v.expectedPurchases }) : undefined}
          >
            {v.ranges ? <ForecastRange {...v.ranges} /> : null}
          </MetricTile>
        </InlineGrid>
        {v.pAlive !== null ? (
          <BlockStack gap="100">
            <InlineStack align="space-between">
              <Text as="span">{t("customer.pAlive")}</Text>
              <Text as="span" fontWeight="semibold" numeric>
                {v.pAliveText}
              </Text>
            </InlineStack>
            <ProgressBar progress={Math.round(v.pAlive * 100)} size="small" tone={v.pAlive < 0.3 ? "critical" : "success"} />
          </BlockStack>
        ) : v.oneTimeBuyer ? (
          <Text as="p" tone="subdued">
            {t("customer.pAliveOneTime")}
          </Text>
        ) : null}
        <Divider />
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            {t("customer.inputsTitle")}
          </Text>
          {v.inputs ? (
            <BlockStack gap="100">
              <Text as="p">{t("customer.inputX", { x: v.inputs.x })}</Text>
              <Text as="p">{t("customer.inputRecency", { recency: v.inputs.recency })}</Text>
              <Text as="p">{t("customer.inputT", { T: v.inputs.T, asOf: v.inputs.asOf })}</Text>
              {v.inputs.monetary ? <Text as="p">{t("customer.inputMonetary", { value: v.inputs.monetary })}</Text> : null}
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              {t("customer.noOrders")}
            </Text>
          )}
          {v.model ? (
            <Text as="p" tone="subdued">
              {t("customer.modelParams", {
                bgnbd: v.model.bgnbd.map((p) => `${p.name} = ${p.value}`).join(", "),
                gg: v.model.gammaGamma ? v.model.gammaGamma.map((p) => `${p.name} = ${p.value}`).join(", ") : t("customer.ownAverage"),
              })}
            </Text>
          ) : v.modelInsufficient ? (
            <Banner tone="info">
              <p>{t("customer.modelInsufficient")}</p>
            </Banner>
          ) : (
            <Text as="p" tone="subdued">
              {t("customer.notScored")}
            </Text>
          )}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}

/** A titled card holding a table, or a line saying why there is nothing to show. */
function TableCard({ title, empty, children }: { title: string; empty: string | null; children: React.ReactNode }) {
  return (
    <Card padding="0">
      <Box padding="400">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
      </Box>
      {empty !== null ? (
        <Box padding="400" paddingBlockStart="0">
          <Text as="p" tone="subdued">
            {empty}
          </Text>
        </Box>
      ) : (
        children
      )}
    </Card>
  );
}

function OrdersCard({ data }: { data: Found }) {
  const { t } = useI18n();
  return (
    <TableCard title={t("customer.ordersTitle")} empty={data.orders.length === 0 ? t("customer.noOrders") : null}>
      <DataTable
        columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "text"]}
        headings={[
          t("customer.col.order"),
          t("customer.col.date"),
          t("customer.col.total"),
          t("customer.col.refunded"),
          t("customer.col.net"),
          t("customer.col.codes"),
        ]}
        rows={data.orders.map((o) => [
          o.numericId ? (
            <Link key={o.numericId} url={`shopify:admin/orders/${o.numericId}`} target="_top" removeUnderline>
              {o.name}
            </Link>
          ) : (
            o.name
          ),
          <InlineStack key="date" gap="100">
            <span>{o.date}</span>
            {o.status ? <Badge tone="attention">{t(`customer.order.${o.status}`)}</Badge> : null}
          </InlineStack>,
          o.total,
          o.refunded,
          o.net,
          o.codes,
        ])}
        footerContent={data.ordersNote ?? undefined}
      />
    </TableCard>
  );
}

const ISSUED_TONE: Record<string, "success" | "info" | "critical" | "attention" | undefined> = {
  redeemed: "success",
  created: "info",
  delivered: "info",
  failed: "critical",
  expired: "attention",
  deactivated: "attention",
};

function CodesCard({ data }: { data: Found }) {
  const { t } = useI18n();
  return (
    <TableCard title={t("customer.codesTitle")} empty={data.discounts.length === 0 ? t("customer.noCodes") : null}>
      <DataTable
        columnContentTypes={["text", "text", "text", "text", "text"]}
        headings={[
          t("customer.col.code"),
          t("customer.col.rule"),
          t("customer.col.status"),
          t("customer.col.validUntil"),
          t("customer.col.redeemed"),
        ]}
        rows={data.discounts.map((d) => [
          <Text key="code" as="span" fontWeight="semibold">
            {d.code}
          </Text>,
          d.rule,
          <Badge key="status" tone={ISSUED_TONE[d.status]}>
            {t(`issued.status.${d.status}`)}
          </Badge>,
          d.validUntil,
          d.redeemed,
        ])}
      />
    </TableCard>
  );
}

function FeedbackCard({ data }: { data: Found }) {
  const { t } = useI18n();
  const path = useAppPath();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("customer.feedbackTitle")}
        </Text>
        {data.feedback.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("customer.noFeedback")}
          </Text>
        ) : (
          data.feedback.map((fb) => (
            <BlockStack key={fb.id} gap="100">
              <InlineStack gap="200" blockAlign="center">
                <Badge tone={fb.score >= 9 ? "success" : fb.score <= 6 ? "critical" : undefined}>
                  {t("customer.score", { score: fb.score })}
                </Badge>
                <Text as="span" tone="subdued">
                  {fb.date}
                </Text>
                <Link url={path(`/app/feedback/${fb.id}`)}>
                  {t(fb.status === "resolved" ? "customer.feedbackResolved" : "customer.feedbackOpen")}
                </Link>
              </InlineStack>
              {/* Comments are the customer's words: React renders them as text, never HTML. */}
              {fb.comment ? <Text as="p">{fb.comment}</Text> : null}
            </BlockStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}

function SideCards({ data }: { data: Found }) {
  const { t } = useI18n();
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("customer.groupTitle")}
          </Text>
          <InlineStack>
            {data.lifecycle && data.definition ? (
              <LifecycleBadge group={data.lifecycle as LifecycleGroup} definition={data.definition} />
            ) : (
              <Badge>{data.lifecycleLabel}</Badge>
            )}
          </InlineStack>
          {data.definition ? (
            <BlockStack gap="050">
              <Text as="p" fontWeight="semibold">
                {data.definition.meaning}
              </Text>
              <Text as="p" tone="subdued" variant="bodySm">
                {data.definition.criteria}
              </Text>
            </BlockStack>
          ) : null}
          <Text as="p">{data.reason ?? t("customer.notScored")}</Text>
          {data.lapsedSince ? (
            <Text as="p" tone="subdued">
              {t("customer.lapsedSince", { date: data.lapsedSince })}
            </Text>
          ) : null}
          {data.scoredAt ? (
            <Text as="p" tone="subdued" variant="bodySm">
              {t("customer.scoredAt", { date: data.scoredAt })}
            </Text>
          ) : null}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("customer.rfmTitle")}
          </Text>
          {data.rfm ? (
            <>
              <InlineGrid columns={3} gap="200">
                <MetricTile label={t("rfm.recency")} value={String(data.rfm.r)} />
                <MetricTile label={t("rfm.frequency")} value={String(data.rfm.f)} />
                <MetricTile label={t("rfm.monetary")} value={String(data.rfm.m)} />
              </InlineGrid>
              {data.rfm.segment ? <Text as="p">{t("customer.segment", { segment: data.rfm.segment })}</Text> : null}
            </>
          ) : (
            <Text as="p" tone="subdued">
              {t("customer.notScored")}
            </Text>
          )}
          {data.shopifyRfmGroup ? (
            <Text as="p" tone="subdued" variant="bodySm">
              {t("customer.shopifyRfm", { group: data.shopifyRfmGroup })}
            </Text>
          ) : null}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("customer.tierTitle")}
          </Text>
          <Text as="p">{data.tier ? t("customer.tierSince", { tier: data.tier, date: data.tierSince ?? "—" }) : t("customer.noTier")}</Text>
          {data.tierHistory.length ? (
            <BlockStack gap="050">
              {data.tierHistory.map((h, i) => (
                <Text key={i} as="p" variant="bodySm" tone="subdued">
                  {h.on}: {h.text}
                </Text>
              ))}
            </BlockStack>
          ) : null}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("customer.detailsTitle")}
          </Text>
          <Text as="p">{data.email ?? "—"}</Text>
          <Text as="p">{t("customer.birthday", { date: data.birthday ?? "—" })}</Text>
          <Text as="p">{t(data.marketing ? "customer.marketingYes" : "customer.marketingNo")}</Text>
          {data.tags.length ? (
            <InlineStack gap="100">
              {data.tags.map((tag) => (
                <Badge key={tag}>{tag}</Badge>
              ))}
            </InlineStack>
          ) : null}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("customer.consentTitle")}
          </Text>
          {data.consents.length ? (
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "text"]}
              headings={[
                t("customer.consentWhat"),
                t("customer.consentAnswer"),
                t("customer.consentWhen"),
                t("customer.consentWhere"),
                t("customer.consentText"),
              ]}
              rows={data.consents.map((r) => [r.purpose, r.answer, r.when, r.where, r.text])}
            />
          ) : (
            <Text as="p" tone="subdued">
              {t("customer.consentEmpty")}
            </Text>
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}

function CustomerContent() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const path = useAppPath();
  return (
    <Page
      title={data.title}
      backAction={{ content: t("customer.back"), url: path("/app/customers") }}
      titleMetadata={
        data.lifecycle && data.definition ? (
          <LifecycleBadge group={data.lifecycle as LifecycleGroup} definition={data.definition} />
        ) : undefined
      }
      secondaryActions={[
        { content: t("customer.openInShopify"), url: `shopify:admin/customers/${data.numericId}`, target: "_top", external: false },
      ]}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <ValueCard data={data} />
            <OrdersCard data={data} />
            <CodesCard data={data} />
            <FeedbackCard data={data} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <SideCards data={data} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export default function CustomerPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={data.locale} messages={data.messages}>
      <CustomerContent />
    </I18nProvider>
  );
}

export { RouteError as ErrorBoundary } from "../components/RouteError";
