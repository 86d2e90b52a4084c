import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { authenticate } from "../shopify.server";
import { resolveLocale } from "../i18n";
import { pageContext, pageMessages } from "../services/page-context.server";
import { I18nProvider, useAppPath, useI18n } from "../components/I18n";
import { notFound } from "../components/RouteError";
import { getFeedback, linkCompensation, MAX_NOTE_LENGTH, reopenFeedback, resolveFeedback, saveNote } from "../models/feedback.server";
import { getRule } from "../models/rules.server";
import { asCompensationRule, feedbackItemView } from "../services/feedback-detail.server";
import { translator } from "../services/feedback-overview.server";
import { issueCompensation, type CompensationIssuer } from "../jobs/feedback-rewards.server";
import { CommentText } from "../components/feedback/CommentText";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, locale } = await pageContext(request);
  const view = await feedbackItemView(shop, params.id ?? "", locale, new Date());
  if (!view) throw notFound("feedback");
  return json({ view, locale, messages: pageMessages(locale, ["feedback"]) });
};

export type ItemActionResult =
  { ok: true; intent: string } | { ok: false; intent: string; errors: Partial<Record<"note" | "ruleId" | "form", string>> };

export interface FeedbackItemDeps {
  authenticate: (request: Request) => Promise<{ session: { shop: string } }>;
  issueCompensation: CompensationIssuer;
  now: () => Date;
}

/** Intents: note, resolve (with an optional note), reopen, compensate (ruleId). */
export function createFeedbackItemAction(overrides: Partial<FeedbackItemDeps> = {}) {
  const deps: FeedbackItemDeps = {
    authenticate: (request) => authenticate.admin(request),
    issueCompensation,
    now: () => new Date(),
    ...overrides,
  };
  return async function action({ request, params }: ActionFunctionArgs) {
    const { session } = await deps.authenticate(request);
    const shop = session.shop;
    const t = translator(resolveLocale(new URL(request.url).searchParams.get("locale")));
    const feedback = await getFeedback(shop, params.id ?? "");
    if (!feedback) throw notFound("feedback");
    const form = await request.formData();
    const intent = String(form.get("intent") ?? "");
    const now = deps.now();
    const fail = (errors: Partial<Record<"note" | "ruleId" | "form", string>>) =>
      json<ItemActionResult>({ ok: false, intent, errors }, { status: 400 });

    switch (intent) {
      case "note":
      case "resolve": {
        const note = form.get("note");
        if (typeof note === "string") {
          if (note.length > MAX_NOTE_LENGTH) return fail({ note: t("feedback.detail.noteTooLong", { max: MAX_NOTE_LENGTH }) });
          // Saving the same note again (e.g. resolving with the form as it is) is not a new response.
          if (note !== (feedback.note ?? "")) await saveNote(shop, feedback.id, note, now);
        }
        if (intent === "resolve") await resolveFeedback(shop, feedback.id, now);
        return json<ItemActionResult>({ ok: true, intent });
      }
      case "reopen":
        await reopenFeedback(shop, feedback.id);
        return json<ItemActionResult>({ ok: true, intent });
      case "compensate": {
        if (!feedback.customerShopifyId) return fail({ form: t("feedback.detail.compensationGuest") });
        // Already chosen: a second click never issues another code; it finishes that one if an earlier
        // attempt stopped between steps (a crash, Shopify down), with the rule it was recorded with.
        if (feedback.compensationId) {
          await deps.issueCompensation(shop, { feedbackId: feedback.id, rule: null, customerShopifyId: feedback.customerShopifyId, now });
          return json<ItemActionResult>({ ok: true, intent });
        }
        const ruleId = form.get("ruleId");
        if (typeof ruleId !== "string" || ruleId === "") return fail({ ruleId: t("feedback.detail.ruleRequired") });
        const stored = await getRule(shop, ruleId);
        const rule = stored ? asCompensationRule(stored.rule) : null;
        if (!rule) return fail({ ruleId: t("feedback.detail.ruleUnknown") });
        const issued = await deps.issueCompensation(shop, {
          feedbackId: feedback.id,
          rule,
          customerShopifyId: feedback.customerShopifyId,
          now,
        });
        await linkCompensation(shop, feedback.id, issued.issuedDiscountId, now);
        return json<ItemActionResult>({ ok: true, intent });
      }
      default:
        return fail({ form: t("common.unknownAction") });
    }
  };
}

export const action = createFeedbackItemAction();

function FeedbackItemContent() {
  const { view } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const path = useAppPath();
  const result = useActionData<typeof action>() as ItemActionResult | undefined;
  const navigation = useNavigation();
  const submit = useSubmit();
  const send = (intent: string, fields: Record<string, string> = {}) => submit({ intent, ...fields }, { method: "post" });
  const busy = (intent: string) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  const [note, setNote] = useState(view.note);
  const [ruleId, setRuleId] = useState("");
  const errors = result && !result.ok ? result.errors : {};
  const backUrl = path("/app/feedback");

  return (
    <Page
      title={view.title}
      backAction={{ content: t("feedback.title"), url: backUrl }}
      titleMetadata={<Badge tone={view.status.badge.tone}>{view.status.badge.label}</Badge>}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    {t("feedback.detail.answer")}
                  </Text>
                  <Text as="span" variant="headingLg">
                    {view.answer.scoreText}
                  </Text>
                </InlineStack>
                {view.answer.reasons.length ? (
                  <InlineStack gap="200">
                    {view.answer.reasons.map((reason) => (
                      <Badge key={reason}>{reason}</Badge>
                    ))}
                  </InlineStack>
                ) : null}
                <BlockStack gap="100">
                  <Text as="h3" variant="headingSm">
                    {t("feedback.detail.comment")}
                  </Text>
                  <CommentText text={view.answer.comment} empty={t("feedback.detail.noComment")} />
                </BlockStack>
                <Text as="p" tone="subdued" variant="bodySm">
                  {view.answer.received}
                </Text>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("feedback.detail.orders")}
                </Text>
                {view.customer && view.customer.orders.length ? (
                  <>
                    <DataTable
                      columnContentTypes={["text", "text", "numeric"]}
                      headings={[t("feedback.detail.colOrder"), t("feedback.detail.colDate"), t("feedback.detail.colTotal")]}
                      rows={view.customer.orders.map((o) => [
                        o.thisOrder ? t("feedback.detail.orderThis", { order: o.label }) : o.label,
                        o.date,
                        o.total,
                      ])}
                    />
                    {view.customer.ordersShown ? (
                      <Text as="p" tone="subdued" variant="bodySm">
                        {view.customer.ordersShown}
                      </Text>
                    ) : null}
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    {view.customer ? t("feedback.detail.noOrders") : t("feedback.detail.guest")}
                  </Text>
                )}
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <TextField
                  label={t("feedback.detail.note")}
                  value={note}
                  onChange={setNote}
                  multiline={4}
                  maxLength={5000}
                  showCharacterCount
                  helpText={t("feedback.detail.noteHelp")}
                  error={errors.note}
                  autoComplete="off"
                />
                <InlineStack gap="200" align="end">
                  <Button onClick={() => send("note", { note })} loading={busy("note")}>
                    {t("feedback.detail.saveNote")}
                  </Button>
                  {view.status.resolved ? null : (
                    <Button onClick={() => send("resolve", { note })} variant="primary" loading={busy("resolve")}>
                      {t("feedback.detail.resolve")}
                    </Button>
                  )}
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("feedback.detail.customer")}
                </Text>
                {view.customer ? (
                  <>
                    <Text as="p" fontWeight="semibold">
                      {view.customer.name}
                    </Text>
                    {view.customer.email ? <Text as="p">{view.customer.email}</Text> : null}
                    {view.customer.known ? null : (
                      <Text as="p" tone="subdued">
                        {t("feedback.detail.unknownCustomer")}
                      </Text>
                    )}
                    <InlineStack align="space-between">
                      <Text as="span" tone="subdued">
                        {t("feedback.detail.predictedClv")}
                      </Text>
                      <Text as="span" numeric>
                        {view.customer.predictedClv}
                      </Text>
                    </InlineStack>
                    <InlineStack align="space-between">
                      <Text as="span" tone="subdued">
                        {t("feedback.detail.totalSpent")}
                      </Text>
                      <Text as="span" numeric>
                        {view.customer.totalSpent}
                      </Text>
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      {view.customer.orderCount}
                    </Text>
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    {t("feedback.detail.guest")}
                  </Text>
                )}
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("feedback.detail.compensation")}
                </Text>
                {view.compensation.issued ? (
                  <Banner tone={view.compensation.issued.tone}>{view.compensation.issued.text}</Banner>
                ) : !view.customer ? (
                  <Text as="p" tone="subdued">
                    {t("feedback.detail.compensationGuest")}
                  </Text>
                ) : view.compensation.options.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("feedback.detail.compensationNone")}
                  </Text>
                ) : (
                  <BlockStack gap="200">
                    <Text as="p" tone="subdued">
                      {t("feedback.detail.compensationHelp")}
                    </Text>
                    <Select
                      label={t("feedback.detail.compensationPick")}
                      options={[{ label: t("feedback.detail.compensationChoose"), value: "" }, ...view.compensation.options]}
                      value={ruleId}
                      onChange={setRuleId}
                      error={errors.ruleId}
                    />
                    <Box>
                      <Button
                        onClick={() => send("compensate", { ruleId })}
                        disabled={!view.compensation.canIssue}
                        loading={busy("compensate")}
                      >
                        {t("feedback.detail.compensationIssue")}
                      </Button>
                    </Box>
                  </BlockStack>
                )}
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("feedback.detail.status")}
                </Text>
                <Text as="p">{view.status.text}</Text>
                <Text as="p" tone="subdued">
                  {t("feedback.detail.firstResponseAt", { time: view.status.firstResponse })}
                </Text>
                {view.status.recovery ? <Text as="p">{view.status.recovery}</Text> : null}
                {view.status.resolved ? (
                  <Box>
                    <Button onClick={() => send("reopen")} loading={busy("reopen")}>
                      {t("feedback.detail.reopen")}
                    </Button>
                  </Box>
                ) : null}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export default function FeedbackItemPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={data.locale} messages={data.messages}>
      <FeedbackItemContent />
    </I18nProvider>
  );
}

export { RouteError as ErrorBoundary } from "../components/RouteError";
