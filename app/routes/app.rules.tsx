import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useOutlet, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Modal, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { ruleSummaries, type RuleSummary } from "../models/reward-results.server";
import { countWithheld } from "../models/issued-discounts.server";
import { storedConsentExcluded } from "../models/views/dashboard-views.server";
import { getShopSettings, kindsNeedingConsent } from "../models/shop-settings.server";
import { deleteRule, getRule, listRules } from "../models/rules.server";
import { afterRuleChange } from "../jobs/kinship-segments.server";
import { adminClientForShop } from "../jobs/admin-for-shop.server";
import { getShop } from "../models/shop.server";
import { shopFormatter } from "../formatting";
import { issuanceAction, issuanceStatus, queuedByRule, turnRuleOff, type IssuanceStatusProps } from "../services/issuance-status.server";
import { IssuanceStatusCard } from "../components/IssuanceStatusCard";
import { I18nProvider, useAppPath, useI18n } from "../components/I18n";
import { resolveLocale } from "../i18n";
import { kindText, rulesMessages } from "../i18n/rule-texts";
import { holidayCampaign, marketOf, presetsForMarket, RULE_KINDS } from "../retention/rewards";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const locale = resolveLocale(new URL(request.url).searchParams.get("locale"));
  // A rule's own page renders in the outlet; its list data would go unused.
  if (new URL(request.url).pathname.replace(/\/+$/, "") !== "/app/rules") {
    return json({
      locale,
      messages: {} as Record<string, string>,
      rules: [],
      invalid: [],
      currencyCode: "",
      presets: [],
      issuance: null as IssuanceStatusProps | null,
    });
  }
  // Two rounds of queries side by side instead of five one after another (issue 23 item 3: each round waits its
  // turn with the import's and the daily run's writes). Who each rule does not reach: codes withheld for want of a
  // channel, customers left out by the consent policy.
  const [{ rules, invalid }, shopRow, queued, withheld, settings, withoutConsent] = await Promise.all([
    listRules(shop),
    getShop(shop),
    queuedByRule(shop),
    countWithheld(shop),
    getShopSettings(shop),
    storedConsentExcluded(shop),
  ]);
  const format = shopFormatter({ locale, currency: shopRow?.currencyCode ?? "USD", timeZone: shopRow?.ianaTimezone ?? "UTC" });
  const [summaries, issuance] = await Promise.all([
    ruleSummaries(
      shop,
      rules.map((r) => r.rule.id),
    ),
    issuanceStatus(shop, format),
  ]);
  const results = new Map(summaries.map((r) => [r.ruleId, r]));
  const consentKinds = kindsNeedingConsent(settings.consent);
  const withheldOf = (ruleId: string) =>
    withheld.filter((w) => w.ruleId === ruleId && w.reason === "noDeliveryChannel").reduce((n, w) => n + w.count, 0);
  return json({
    locale,
    messages: rulesMessages(locale),
    rules: rules.map(({ rule, pausedReason }) => ({
      id: rule.id,
      name: rule.name,
      kind: rule.kind,
      enabled: rule.enabled,
      pausedReason,
      results: results.get(rule.id) ?? null,
      revenue: format.money(results.get(rule.id)?.revenue ?? 0),
      // What "Turn off" will cancel, said in its confirmation.
      queued: format.number(queued.get(rule.id) ?? 0),
      withheldNoChannel: withheldOf(rule.id),
      consentExcluded: rule.enabled && consentKinds.includes(rule.kind) ? withoutConsent : 0,
    })),
    invalid: invalid.map((r) => ({ id: r.id, name: r.name })),
    currencyCode: shopRow?.currencyCode ?? "USD",
    // The holidays of the shop's market (its country; else the region of the admin's locale), named in the admin's language.
    presets: presetsForMarket(marketOf(shopRow?.countryCode, new URL(request.url).searchParams.get("locale"))).map((p) => ({
      id: p.id,
      name: kindText(locale, holidayCampaign.kind, `preset.${p.id}`),
    })),
    issuance: issuance as IssuanceStatusProps | null,
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const id = String(form.get("id") ?? "");
  // Pause all, Resume, Cancel queued, and Turn off (which cancels the rule's queued codes).
  const issuance = await issuanceAction(session.shop, form, resolveLocale(new URL(request.url).searchParams.get("locale")));
  if (issuance) return json(issuance, { status: issuance.ok ? 200 : 404 });
  switch (form.get("intent")) {
    case "toggle":
      // Turning on goes through the rule page's confirmation (first run's figures); here only off,
      // which also cancels the rule's queued codes (the list's confirmation says so).
      if (form.get("enabled") !== "false") return json({ ok: false }, { status: 400 });
      await turnRuleOff(session.shop, id);
      return json({ ok: true });
    case "delete": {
      const kind = (await getRule(session.shop, id))?.rule.kind;
      if (await deleteRule(session.shop, id)) await afterRuleChange(session.shop, kind, () => adminClientForShop(session.shop));
      return json({ ok: true });
    }
    default:
      return json({ ok: false }, { status: 400 });
  }
};

function rate(r: number | null): string {
  return r === null ? "–" : `${(r * 100).toFixed(1)}%`;
}

function upliftPoints(results: Pick<RuleSummary, "uplift" | "heldOut"> | null): string | null {
  if (!results || results.heldOut.customers === 0 || results.uplift.windowPurchaseRate === null) return null;
  const points = results.uplift.windowPurchaseRate * 100;
  return `${points >= 0 ? "+" : ""}${points.toFixed(1)}`;
}

function RulesList() {
  const { rules, invalid, presets, issuance } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const [turningOff, setTurningOff] = useState<{ id: string; name: string; queued: string } | null>(null);
  const { t } = useI18n();
  const path = useAppPath();
  // The bare difference is noise for most shops: it always goes with the experiment's verdict.
  const uplift = (results: Pick<RuleSummary, "uplift" | "heldOut" | "experiment"> | null) => {
    const points = upliftPoints(results);
    if (points === null) return "–";
    const state = results?.experiment?.state;
    return [t("rules.list.upliftPoints", { points }), state ? t(`rules.results.state.${state}`) : null].filter(Boolean).join(" · ");
  };
  const rows = rules.map((r) => [
    <Link key={r.id} to={path(`/app/rules/${r.id}`)}>
      {r.name}
    </Link>,
    t(`rules.kind.${r.kind}`),
    r.pausedReason ? (
      <Badge tone="warning">{t("rules.list.paused")}</Badge>
    ) : r.enabled ? (
      <Badge tone="success">{t("rules.list.on")}</Badge>
    ) : (
      <Badge>{t("rules.list.off")}</Badge>
    ),
    r.results?.issued ?? 0,
    `${r.results?.redeemed ?? 0} (${rate(r.results?.redemptionRate ?? null)})`,
    r.revenue,
    r.results ? (
      <Link key={`results-${r.id}`} to={path(`/app/rules/${r.id}/results`)}>
        {uplift(r.results)}
      </Link>
    ) : (
      uplift(r.results)
    ),
    r.enabled ? (
      <Button key={`toggle-${r.id}`} variant="plain" onClick={() => setTurningOff(r)}>
        {t("rules.list.turnOff")}
      </Button>
    ) : (
      <Button key={`toggle-${r.id}`} variant="plain" url={path(`/app/rules/${r.id}`, { turnOn: "1" })}>
        {t("rules.list.turnOn")}
      </Button>
    ),
  ]);
  return (
    <Page title={t("rules.title")}>
      <Layout>
        {invalid.length > 0 && (
          <Layout.Section>
            <Banner tone="critical" title={t("rules.list.invalidTitle")}>
              <p>{t("rules.list.invalidBody", { names: invalid.map((r) => r.name).join(", ") })}</p>
            </Banner>
          </Layout.Section>
        )}
        {rules
          .filter((r) => r.withheldNoChannel > 0 || r.consentExcluded > 0)
          .map((r) => (
            <Layout.Section key={`reach-${r.id}`}>
              <Banner tone="warning" title={t("rules.list.reachTitle", { name: r.name })}>
                {r.withheldNoChannel > 0 ? <p>{t("rules.list.withheldNoChannel", { count: r.withheldNoChannel })}</p> : null}
                {r.consentExcluded > 0 ? <p>{t("rules.list.consentExcluded", { count: r.consentExcluded })}</p> : null}
              </Banner>
            </Layout.Section>
          ))}
        {rules
          .filter((r) => r.pausedReason)
          .map((r) => (
            <Layout.Section key={`paused-${r.id}`}>
              <Banner tone="warning" title={t("rules.list.pausedTitle", { name: r.name })}>
                <p>{r.pausedReason}</p>
              </Banner>
            </Layout.Section>
          ))}
        {issuance && (
          <Layout.Section>
            <IssuanceStatusCard status={issuance} controls />
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack gap="200">
                {RULE_KINDS.map((kind) => (
                  <Button key={kind} url={path("/app/rules/new", { kind })}>
                    {t(`rules.kind.${kind}.add`)}
                  </Button>
                ))}
              </InlineStack>
              {rows.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("rules.list.empty")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric", "text"]}
                  headings={[
                    t("rules.list.rule"),
                    t("rules.list.type"),
                    t("rules.list.status"),
                    t("rules.list.issued"),
                    t("rules.list.redeemed"),
                    t("rules.list.revenue"),
                    t("rules.list.uplift"),
                    "",
                  ]}
                  rows={rows}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("rules.list.presets")}
              </Text>
              <InlineStack gap="200">
                {presets.map((p) => (
                  <Button key={p.id} url={path("/app/rules/new", { kind: holidayCampaign.kind, preset: p.id })}>
                    {p.name}
                  </Button>
                ))}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
      <Modal
        open={turningOff !== null}
        onClose={() => setTurningOff(null)}
        title={t("issued.turnOff.title", { name: turningOff?.name ?? "" })}
        primaryAction={{
          content: t("issued.turnOff.confirm"),
          destructive: true,
          onAction: () => {
            if (turningOff) submit({ intent: "turnOff", id: turningOff.id }, { method: "post" });
            setTurningOff(null);
          },
        }}
        secondaryActions={[{ content: t("issued.turnOff.keep"), onAction: () => setTurningOff(null) }]}
      >
        <Modal.Section>
          <Text as="p">{t("issued.turnOff.body", { count: turningOff?.queued ?? "0" })}</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

export default function RulesPage() {
  const outlet = useOutlet();
  const data = useLoaderData<typeof loader>();
  if (outlet) return outlet;
  return (
    <I18nProvider locale={data.locale ?? "en"} messages={data.messages ?? {}}>
      <RulesList />
    </I18nProvider>
  );
}

export { RouteError as ErrorBoundary } from "../components/RouteError";
