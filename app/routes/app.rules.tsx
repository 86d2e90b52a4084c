import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useOutlet, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { ruleResults, type RuleResult } from "../models/reward-results.server";
import { deleteRule, listRules, setRuleEnabled } from "../models/rules.server";
import { getShop } from "../models/shop.server";
import { HOLIDAY_PRESETS, RULE_KINDS, type RuleKind } from "../retention/rewards";
import { authenticate } from "../shopify.server";

const KIND_LABELS: Record<RuleKind, string> = {
  loyaltyTiers: "Loyalty tiers",
  birthday: "Birthday",
  winback: "Win-back",
  holidayCampaign: "Holiday campaign",
  feedbackThanks: "Feedback thanks",
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  // A rule's own page renders in the outlet; its list data would go unused.
  if (new URL(request.url).pathname.replace(/\/+$/, "") !== "/app/rules") {
    return json({ rules: [], invalid: [], currencyCode: "", presets: [] });
  }
  const [{ rules, invalid }, shopRow] = await Promise.all([listRules(shop), getShop(shop)]);
  const results = new Map((await ruleResults(shop, rules.map((r) => r.rule.id))).map((r) => [r.ruleId, r]));
  return json({
    rules: rules.map(({ rule, pausedReason }) => ({
      id: rule.id,
      name: rule.name,
      kind: rule.kind,
      enabled: rule.enabled,
      pausedReason,
      endsAt: rule.kind === "holidayCampaign" ? rule.endsAt : null,
      results: results.get(rule.id) ?? null,
    })),
    invalid: invalid.map((r) => ({ id: r.id, name: r.name })),
    currencyCode: shopRow?.currencyCode ?? "USD",
    presets: HOLIDAY_PRESETS.map((p) => ({ id: p.id, name: p.name })),
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const id = String(form.get("id") ?? "");
  switch (form.get("intent")) {
    case "toggle":
      await setRuleEnabled(session.shop, id, form.get("enabled") === "true");
      return json({ ok: true });
    case "delete":
      await deleteRule(session.shop, id);
      return json({ ok: true });
    default:
      return json({ ok: false }, { status: 400 });
  }
};

function rate(r: number | null): string {
  return r === null ? "–" : `${(r * 100).toFixed(1)}%`;
}

function uplift(results: Pick<RuleResult, "uplift" | "heldOut"> | null): string {
  if (!results || results.heldOut.customers === 0 || results.uplift.windowPurchaseRate === null) return "–";
  const points = results.uplift.windowPurchaseRate * 100;
  return `${points >= 0 ? "+" : ""}${points.toFixed(1)} pts`;
}

function RulesList() {
  const { rules, invalid, currencyCode, presets } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const rows = rules.map((r) => [
    <Link key={r.id} to={`/app/rules/${r.id}`}>
      {r.name}
    </Link>,
    KIND_LABELS[r.kind],
    r.pausedReason ? <Badge tone="warning">Paused</Badge> : r.enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>,
    r.results?.issued ?? 0,
    `${r.results?.redeemed ?? 0} (${rate(r.results?.redemptionRate ?? null)})`,
    `${(r.results?.revenue ?? 0).toFixed(2)} ${currencyCode}`,
    uplift(r.results),
    <Button
      key={`toggle-${r.id}`}
      variant="plain"
      onClick={() => submit({ intent: "toggle", id: r.id, enabled: String(!r.enabled) }, { method: "post" })}
    >
      {r.enabled ? "Turn off" : "Turn on"}
    </Button>,
  ]);
  return (
    <Page title="Discount rules">
      <Layout>
        {invalid.length > 0 && (
          <Layout.Section>
            <Banner tone="critical" title="Some rules can't run">
              <p>
                {invalid.map((r) => r.name).join(", ")}: their settings no longer pass validation. Open and save them again.
              </p>
            </Banner>
          </Layout.Section>
        )}
        {rules
          .filter((r) => r.pausedReason)
          .map((r) => (
            <Layout.Section key={`paused-${r.id}`}>
              <Banner tone="warning" title={`${r.name} is paused`}>
                <p>{r.pausedReason}</p>
              </Banner>
            </Layout.Section>
          ))}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack gap="200">
                {RULE_KINDS.map((kind) => (
                  <Button key={kind} url={`/app/rules/new?kind=${kind}`}>
                    {`Add ${KIND_LABELS[kind].toLowerCase()}`}
                  </Button>
                ))}
              </InlineStack>
              {rows.length === 0 ? (
                <Text as="p" tone="subdued">No rules yet. Add one to start rewarding customers.</Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric", "text"]}
                  headings={["Rule", "Type", "Status", "Issued", "Redeemed", "Revenue", "Holdout uplift", ""]}
                  rows={rows}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">Holiday presets</Text>
              <InlineStack gap="200">
                {presets.map((p) => (
                  <Button key={p.id} url={`/app/rules/new?kind=holidayCampaign&preset=${p.id}`}>
                    {p.name}
                  </Button>
                ))}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export default function RulesPage() {
  const outlet = useOutlet();
  return outlet ?? <RulesList />;
}
