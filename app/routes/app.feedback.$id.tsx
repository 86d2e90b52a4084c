import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigation, useSubmit } from "@remix-run/react";
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
import { getFeedback, linkCompensation, MAX_NOTE_LENGTH, reopenFeedback, resolveFeedback, saveNote } from "../models/feedback.server";
import { getRule } from "../models/rules.server";
import { asCompensationRule, feedbackItemView } from "../components/feedback/detail.server";
import { translator } from "../components/feedback/overview.server";
import { issueCompensation, type CompensationIssuer } from "../jobs/feedback-rewards.server";
import { CommentText } from "../components/feedback/CommentText";

function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale = resolveLocale(new URL(request.url).searchParams.get("locale"));
  const view = await feedbackItemView(session.shop, params.id ?? "", locale, new Date());
  if (!view) notFound();
  const t = translator(locale);
  return json({
    view,
    text: {
      back: t("feedback.title"),
      answer: t("feedback.detail.answer"),
      comment: t("feedback.detail.comment"),
      noComment: t("feedback.detail.noComment"),
      customer: t("feedback.detail.customer"),
      guest: t("feedback.detail.guest"),
      unknownCustomer: t("feedback.detail.unknownCustomer"),
      predictedClv: t("feedback.detail.predictedClv"),
      totalSpent: t("feedback.detail.totalSpent"),
      orders: t("feedback.detail.orders"),
      noOrders: t("feedback.detail.noOrders"),
      colOrder: t("feedback.detail.colOrder"),
      colDate: t("feedback.detail.colDate"),
      colTotal: t("feedback.detail.colTotal"),
      thisOrder: t("feedback.detail.thisOrder"),
      compensation: t("feedback.detail.compensation"),
      compensationHelp: t("feedback.detail.compensationHelp"),
      compensationPick: t("feedback.detail.compensationPick"),
      compensationChoose: t("feedback.detail.compensationChoose"),
      compensationNone: t("feedback.detail.compensationNone"),
      compensationIssue: t("feedback.detail.compensationIssue"),
      compensationGuest: t("feedback.detail.compensationGuest"),
      note: t("feedback.detail.note"),
      noteHelp: t("feedback.detail.noteHelp"),
      saveNote: t("feedback.detail.saveNote"),
      resolve: t("feedback.detail.resolve"),
      reopen: t("feedback.detail.reopen"),
      status: t("feedback.detail.status"),
      firstResponse: t("feedback.detail.firstResponse"),
      saved: t("feedback.detail.saved"),
    },
  });
};

export type ItemActionResult =
  | { ok: true; intent: string }
  | { ok: false; intent: string; errors: Partial<Record<"note" | "ruleId" | "form", string>> };

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
    if (!feedback) notFound();
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
        // Already compensated: the page shows that code; a second click never issues another.
        if (feedback.compensationId) return json<ItemActionResult>({ ok: true, intent });
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
        return fail({ form: `Unknown intent: ${intent.slice(0, 40)}` });
    }
  };
}

export const action = createFeedbackItemAction();

export default function FeedbackItemPage() {
  const { view, text } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ItemActionResult | undefined;
  const navigation = useNavigation();
  const location = useLocation();
  const submit = useSubmit();
  const send = (intent: string, fields: Record<string, string> = {}) => submit({ intent, ...fields }, { method: "post" });
  const busy = (intent: string) => navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  const [note, setNote] = useState(view.note);
  const [ruleId, setRuleId] = useState("");
  const errors = result && !result.ok ? result.errors : {};
  const locale = new URLSearchParams(location.search).get("locale");
  const backUrl = `/app/feedback${locale ? `?locale=${encodeURIComponent(locale)}` : ""}`;

  return (
    <Page
      title={view.title}
      backAction={{ content: text.back, url: backUrl }}
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
                    {text.answer}
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
                    {text.comment}
                  </Text>
                  <CommentText text={view.answer.comment} empty={text.noComment} />
                </BlockStack>
                <Text as="p" tone="subdued" variant="bodySm">
                  {view.answer.received}
                </Text>
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {text.orders}
                </Text>
                {view.customer && view.customer.orders.length ? (
                  <>
                    <DataTable
                      columnContentTypes={["text", "text", "numeric"]}
                      headings={[text.colOrder, text.colDate, text.colTotal]}
                      rows={view.customer.orders.map((o) => [o.thisOrder ? `${o.label} · ${text.thisOrder}` : o.label, o.date, o.total])}
                    />
                    {view.customer.ordersShown ? (
                      <Text as="p" tone="subdued" variant="bodySm">
                        {view.customer.ordersShown}
                      </Text>
                    ) : null}
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    {view.customer ? text.noOrders : text.guest}
                  </Text>
                )}
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <TextField
                  label={text.note}
                  value={note}
                  onChange={setNote}
                  multiline={4}
                  maxLength={5000}
                  showCharacterCount
                  helpText={text.noteHelp}
                  error={errors.note}
                  autoComplete="off"
                />
                <InlineStack gap="200" align="end">
                  <Button onClick={() => send("note", { note })} loading={busy("note")}>
                    {text.saveNote}
                  </Button>
                  {view.status.resolved ? null : (
                    <Button onClick={() => send("resolve", { note })} variant="primary" loading={busy("resolve")}>
                      {text.resolve}
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
                  {text.customer}
                </Text>
                {view.customer ? (
                  <>
                    <Text as="p" fontWeight="semibold">
                      {view.customer.name}
                    </Text>
                    {view.customer.email ? <Text as="p">{view.customer.email}</Text> : null}
                    {view.customer.known ? null : (
                      <Text as="p" tone="subdued">
                        {text.unknownCustomer}
                      </Text>
                    )}
                    <InlineStack align="space-between">
                      <Text as="span" tone="subdued">
                        {text.predictedClv}
                      </Text>
                      <Text as="span" numeric>
                        {view.customer.predictedClv}
                      </Text>
                    </InlineStack>
                    <InlineStack align="space-between">
                      <Text as="span" tone="subdued">
                        {text.totalSpent}
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
                    {text.guest}
                  </Text>
                )}
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {text.compensation}
                </Text>
                {view.compensation.issued ? (
                  <Banner tone={view.compensation.issued.tone}>{view.compensation.issued.text}</Banner>
                ) : !view.customer ? (
                  <Text as="p" tone="subdued">
                    {text.compensationGuest}
                  </Text>
                ) : view.compensation.options.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {text.compensationNone}
                  </Text>
                ) : (
                  <BlockStack gap="200">
                    <Text as="p" tone="subdued">
                      {text.compensationHelp}
                    </Text>
                    <Select
                      label={text.compensationPick}
                      options={[{ label: text.compensationChoose, value: "" }, ...view.compensation.options]}
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
                        {text.compensationIssue}
                      </Button>
                    </Box>
                  </BlockStack>
                )}
              </BlockStack>
            </Card>

            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {text.status}
                </Text>
                <Text as="p">{view.status.text}</Text>
                <Text as="p" tone="subdued">
                  {text.firstResponse}: {view.status.firstResponse}
                </Text>
                {view.status.recovery ? <Text as="p">{view.status.recovery}</Text> : null}
                {view.status.resolved ? (
                  <Box>
                    <Button onClick={() => send("reopen")} loading={busy("reopen")}>
                      {text.reopen}
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
