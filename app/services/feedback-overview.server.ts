/**
 * The Feedback page's data: statistics from the pure core over the shop's rows, formatted for the
 * admin user's locale and the shop's currency and time zone.
 */
import { readShopSettings } from "../models/shop-settings.server";
import { getShop } from "../models/shop.server";
import {
  countAwaitingFirstResponse,
  listFeedbackBetween,
  listFollowUpItems,
  listRecoveryInputs,
  listResponseTimes,
  MAX_QUEUE_ITEMS,
} from "../models/feedback.server";
import { reasonCounts, npsTrend, scoreDistribution, summarizeScores, type TrendPeriod } from "../retention/feedback/nps";
import { buildFollowUpQueue, firstResponseStats, recoveryStats, type QueueOrder } from "../retention/feedback/follow-up";
import { followUpEffect, RETURN_WINDOW_DAYS, type ArmResult } from "../retention/feedback/follow-up-effect";
import { listFollowUpEffectInputs } from "../models/views/follow-up-effect.server";
import { localDateAt } from "../retention/rewards";
import { translate, type Locale, type MessageKey } from "../i18n";
import { formatCalendarDate, shopFormatter } from "../formatting";
import { excerpt, firstResponseBadge, type Translate } from "../i18n/feedback-text";
import type { FollowUpEffectView, MetricView, QueueRowView, ReasonView, TrendPointView } from "./feedback-views";

export const RANGES = [30, 90, 365] as const;
export type RangeDays = (typeof RANGES)[number];

export const QUEUE_PAGE_SIZE = 50;
/** "Did it work?" compares the low answers of the last year (each customer counted once their 90 days are over). */
export const EFFECT_PERIOD_DAYS = 360;

export interface OverviewParams {
  range: RangeDays;
  sort: QueueOrder;
  show: "open" | "all";
  /** 1-based page of the follow-up queue. */
  page: number;
}

export function parseOverviewParams(search: URLSearchParams): OverviewParams {
  const range = Number(search.get("range"));
  const page = Number(search.get("page"));
  return {
    range: (RANGES as readonly number[]).includes(range) ? (range as RangeDays) : 90,
    sort: search.get("sort") === "age" ? "age" : "value",
    show: search.get("show") === "all" ? "all" : "open",
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

const PERIOD_BY_RANGE: Record<RangeDays, TrendPeriod> = { 30: "day", 90: "week", 365: "month" };

export function translator(locale: Locale): Translate {
  return (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
}

export async function feedbackOverview(shop: string, params: OverviewParams, locale: Locale, now: Date) {
  const t = translator(locale);
  const shopRow = await getShop(shop);
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  const fmt = shopFormatter({ locale, currency: shopRow?.currencyCode ?? "USD", timeZone });
  const settings = readShopSettings(shopRow?.settings).feedback;
  const since = new Date(now.getTime() - params.range * 86_400_000);

  const [answers, queue, responseTimes, recoveryInputs, effectInputs] = await Promise.all([
    listFeedbackBetween(shop, since, now),
    listFollowUpItems(shop, { threshold: settings.lowScoreThreshold, includeResolved: params.show === "all" }),
    listResponseTimes(shop, settings.lowScoreThreshold, since, now),
    listRecoveryInputs(shop, since, now),
    // A year of answers whatever the range: a 90-day window needs answers older than the shortest range.
    listFollowUpEffectInputs(shop, {
      threshold: settings.lowScoreThreshold,
      since: new Date(now.getTime() - EFFECT_PERIOD_DAYS * 86_400_000),
      until: now,
    }),
  ]);

  const scores = answers.map((a) => a.score);
  const summary = summarizeScores(scores);
  const period = PERIOD_BY_RANGE[params.range];
  const trend = npsTrend(
    answers.map((a) => ({ day: localDateAt(a.createdAt, timeZone), score: a.score })),
    period,
    { from: localDateAt(since, timeZone), to: localDateAt(now, timeZone) },
  );
  const responses = firstResponseStats(responseTimes, now, settings.firstResponseTargetMs);
  const recovery = recoveryStats(recoveryInputs);
  const target = fmt.duration(settings.firstResponseTargetMs);
  const signed = (value: number | null) =>
    value === null ? t("feedback.metric.none") : fmt.number(Math.round(value), { signDisplay: "exceptZero" });

  const metrics: MetricView[] = [
    { label: t("feedback.metric.nps"), value: signed(summary.nps), help: t("feedback.metric.npsHelp") },
    {
      label: t("feedback.metric.csat"),
      value: summary.csat === null ? t("feedback.metric.none") : fmt.percent(summary.csat / 100),
      help: t("feedback.metric.csatHelp"),
    },
    {
      label: t("feedback.metric.responses"),
      value: fmt.number(summary.responses),
      help: t("feedback.metric.responsesHelp", {
        promoters: summary.promoters,
        passives: summary.passives,
        detractors: summary.detractors,
      }),
    },
    {
      label: t("feedback.metric.firstResponse", { target }),
      value: fmt.percent(responses.shareMet),
      help: t("feedback.metric.firstResponseHelp", {
        met: responses.metTarget,
        responded: responses.responded,
        median: responses.medianMs === null ? t("feedback.metric.none") : fmt.duration(responses.medianMs),
        overdue: responses.overdue,
      }),
    },
    {
      label: t("feedback.metric.recovery"),
      value: fmt.percent(recovery.rate),
      help: t("feedback.metric.recoveryHelp", { recovered: recovery.recovered, resolved: recovery.resolved }),
    },
  ];

  const effect = followUpEffect(effectInputs, now);
  const armText = (arm: ArmResult) =>
    arm.complete === 0
      ? t("feedback.effect.armEmpty")
      : t("feedback.effect.arm", {
          returned: arm.returned,
          complete: arm.complete,
          rate: fmt.percent(arm.rate),
          lower: fmt.percent(arm.interval?.lower ?? 0),
          upper: fmt.percent(arm.interval?.upper ?? 0),
        });
  const points = (value: number) => fmt.number(Math.round(value * 1000) / 10, { signDisplay: "exceptZero" });
  const pending = effect.resolved.pending + effect.unanswered.pending;
  const followUpEffectView: FollowUpEffectView = {
    state: effect.state,
    stateLabel: t(`feedback.effect.state.${effect.state}`),
    stateHelp: t(`feedback.effect.stateHelp.${effect.state}`),
    tone: effect.state === "works" ? "success" : effect.state === "hurts" ? "critical" : "info",
    resolved: armText(effect.resolved),
    unanswered: armText(effect.unanswered),
    difference: effect.difference
      ? t("feedback.effect.difference", {
          difference: points(effect.difference.difference),
          lower: points(effect.difference.lower),
          upper: points(effect.difference.upper),
        })
      : null,
    pending: pending > 0 ? t("feedback.effect.pending", { count: pending, days: RETURN_WINDOW_DAYS }) : null,
    method: t("feedback.effect.method", { days: RETURN_WINDOW_DAYS, months: EFFECT_PERIOD_DAYS / 30 }),
  };

  const trendPoints: TrendPointView[] = trend.map((p) => ({ label: formatCalendarDate(p.period, locale), nps: p.nps, csat: p.csat }));
  const reasons: ReasonView[] = reasonCounts(answers).map((r) => ({
    reason: r.reason,
    label: t(`feedback.reason.${r.reason}` as MessageKey),
    count: r.count,
    share: r.share ?? 0,
    detail: t("feedback.reasons.count", { count: r.count, share: fmt.percent(r.share ?? 0) }),
  }));

  const rows = buildFollowUpQueue(queue.items, {
    order: params.sort,
    now,
    targetMs: settings.firstResponseTargetMs,
    includeResolved: params.show === "all",
  });
  const pages = Math.max(1, Math.ceil(rows.length / QUEUE_PAGE_SIZE));
  const page = Math.min(params.page, pages);
  const pageRows = rows.slice((page - 1) * QUEUE_PAGE_SIZE, page * QUEUE_PAGE_SIZE);
  const queueRows: QueueRowView[] = pageRows.map(({ item, waitingMs, firstResponse }) => ({
    id: item.id,
    customer:
      item.customerName ??
      item.customerEmail ??
      (item.customerShopifyId ? item.customerShopifyId.replace(/^gid:\/\/shopify\/Customer\//, "#") : t("feedback.queue.guest")),
    score: item.score,
    reasons: item.reasons.map((r) => t(`feedback.reason.${r}` as MessageKey)).join(", "),
    comment: excerpt(item.comment),
    value: item.predictedClv === null ? t("feedback.queue.unknownValue") : fmt.money(item.predictedClv),
    waiting: fmt.duration(waitingMs),
    badge: item.resolvedAt
      ? { tone: "success", label: t("feedback.status.resolved") }
      : firstResponseBadge(firstResponse, false, t, fmt.duration),
  }));

  return {
    locale,
    params,
    empty: summary.responses === 0 && queue.total === 0,
    metrics,
    trend: trendPoints,
    distribution: scoreDistribution(scores),
    reasons,
    queue: queueRows,
    queuePage: {
      page,
      pages,
      label:
        rows.length > QUEUE_PAGE_SIZE
          ? t("feedback.queue.page", {
              from: (page - 1) * QUEUE_PAGE_SIZE + 1,
              to: (page - 1) * QUEUE_PAGE_SIZE + pageRows.length,
              total: rows.length,
            })
          : null,
    },
    queueTotal: queue.total,
    queueShown: Math.min(queue.total, MAX_QUEUE_ITEMS),
    threshold: settings.lowScoreThreshold,
    target,
    followUpEffect: followUpEffectView,
  };
}

export type FeedbackOverview = Awaited<ReturnType<typeof feedbackOverview>>;

/**
 * The admin navigation's count: open low answers with no first response after half the shop's
 * first-response target, so the merchant sees them while the target can still be met.
 */
export async function followUpsPastHalfTarget(shop: string, now: Date): Promise<number> {
  const { feedback } = readShopSettings((await getShop(shop))?.settings);
  return countAwaitingFirstResponse(shop, feedback.lowScoreThreshold, new Date(now.getTime() - feedback.firstResponseTargetMs / 2));
}
