/**
 * One follow-up item for the detail page: the answer, the customer's orders and value, the
 * compensation (issued or to pick), the note, and where the item stands against the target.
 */
import { getFeedbackDetail } from "../models/feedback.server";
import { getShop } from "../models/shop.server";
import { listRules } from "../models/rules.server";
import { firstResponseCheck, isRecovered } from "../retention/feedback/follow-up";
import { rewardKind, type Rule } from "../retention/rewards";
import type { CompensationRule } from "../jobs/feedback-rewards.server";
import type { Locale, MessageKey } from "../i18n";
import { formatCalendarDate, shopFormatter } from "../formatting";
import { describeRewardText, firstResponseBadge, orderLabel } from "../i18n/feedback-text";
import { translator } from "./feedback-overview.server";
import { readShopSettings } from "../models/shop-settings.server";

/** Rules whose single reward can be sent as compensation (tier programs have one reward per tier). */
export function compensationRules(rules: readonly Rule[]): CompensationRule[] {
  return rules.filter((r): r is CompensationRule => rewardKind(r.kind).compensation !== null);
}

export function asCompensationRule(rule: Rule): CompensationRule | null {
  return compensationRules([rule])[0] ?? null;
}

export async function feedbackItemView(shop: string, id: string, locale: Locale, now: Date) {
  const detail = await getFeedbackDetail(shop, id);
  if (!detail) return null;
  const t = translator(locale);
  const shopRow = await getShop(shop);
  const fmt = shopFormatter({ locale, currency: shopRow?.currencyCode ?? "USD", timeZone: shopRow?.ianaTimezone ?? "UTC" });
  const settings = readShopSettings(shopRow?.settings).feedback;
  const { feedback, customer, orders, orderCount, order, compensation } = detail;

  const check = firstResponseCheck(feedback, now, settings.firstResponseTargetMs);
  const resolved = feedback.status === "resolved";
  const { rules } = await listRules(shop);
  const options = compensationRules(rules.map((s) => s.rule)).map((r) => {
    const name = `${r.name} · ${describeRewardText(r.reward, t, (amount) => fmt.money(amount))}`;
    return { value: r.id, label: r.enabled ? name : t("feedback.detail.ruleOff", { name }) };
  });

  let compensationText: { tone: "success" | "info" | "critical"; text: string } | null = null;
  if (compensation) {
    const code = compensation.code ?? "—";
    if (compensation.status === "failed") {
      compensationText = { tone: "critical", text: t("feedback.detail.compensationFailed", { error: compensation.error ?? "—" }) };
    } else if (compensation.status === "recorded" || compensation.status === "created") {
      compensationText = { tone: "info", text: t("feedback.detail.compensationPending", { code }) };
    } else {
      compensationText = { tone: "success", text: t("feedback.detail.compensationIssued", { code, date: fmt.date(compensation.endsAt) }) };
    }
  }

  return {
    id: feedback.id,
    title: t("feedback.detail.title", { order: orderLabel(feedback.orderShopifyId, order?.name) }),
    answer: {
      score: feedback.score,
      scoreText: t("feedback.detail.score", { score: feedback.score }),
      reasons: feedback.reasons.map((r) => t(`feedback.reason.${r}` as MessageKey)),
      comment: feedback.comment,
      received: t("feedback.detail.received", { date: fmt.dateTime(feedback.createdAt) }),
    },
    customer: feedback.customerShopifyId
      ? {
          known: customer !== null,
          name: customer
            ? [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || feedback.customerShopifyId
            : feedback.customerShopifyId,
          email: customer?.email ?? null,
          birthday: customer?.birthday ? formatCalendarDate(customer.birthday, locale) : null,
          predictedClv: fmt.money(customer?.predictedClv ?? null),
          totalSpent: fmt.money(customer?.totalSpent ?? null),
          orderCount: t("feedback.detail.orderCount", { count: orderCount }),
          ordersShown: orderCount > orders.length ? t("feedback.detail.ordersShown", { shown: orders.length, count: orderCount }) : null,
          orders: orders.map((o) => ({
            id: o.id,
            label: orderLabel(o.shopifyId, o.name),
            date: fmt.date(o.processedAt),
            total: fmt.money(o.netTotal),
            thisOrder: o.shopifyId === feedback.orderShopifyId,
          })),
        }
      : null,
    compensation: {
      issued: compensationText,
      options,
      // An unfinished compensation can be sent again: it finishes the same code, never a second one.
      canIssue: feedback.customerShopifyId !== null && (compensation === null || ["recorded", "created"].includes(compensation.status)),
    },
    note: feedback.note ?? "",
    status: {
      resolved,
      text: resolved ? t("feedback.detail.resolvedOn", { date: fmt.dateTime(feedback.resolvedAt) }) : t("feedback.detail.open"),
      firstResponse: feedback.firstResponseAt ? fmt.dateTime(feedback.firstResponseAt) : t("feedback.detail.noResponseYet"),
      badge: firstResponseBadge(check, resolved, t, fmt.duration),
      recovery: resolved
        ? isRecovered(
            feedback.resolvedAt,
            orders.filter((o) => !o.test && !o.cancelledAt).map((o) => o.processedAt),
          )
          ? t("feedback.detail.recovered")
          : t("feedback.detail.notRecovered")
        : null,
    },
  };
}

export type FeedbackItemView = NonNullable<Awaited<ReturnType<typeof feedbackItemView>>>;
