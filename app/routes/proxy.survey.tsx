/**
 * GET/POST /proxy/survey — the after-delivery survey page, reached through the shop's app proxy
 * (https://{shop}/apps/kinship/survey?order=…&expires=…&token=…, shopify.app.toml [app_proxy]).
 *
 * Two signatures, both required: Shopify's app-proxy `signature` (HMAC-SHA256 of the sorted query,
 * verified by `authenticate.public.appProxy`, which answers 400 otherwise) says the request came
 * through this shop's storefront; Kinship's `token` (app/services/survey-link.server.ts) says Kinship
 * made the link for this order, shop and expiry. Answers (a whole HTML page in the shopper's language,
 * from the proxy's `locale` or Accept-Language; no Liquid):
 *   200  the questions (GET), or thanks (POST stored)
 *   400  Shopify's signature missing or wrong; or an invalid answer (the form again, with its errors)
 *   403  a link Kinship did not sign (order, shop or expiry changed), or an order of another shop
 *   409  the order already has an answer, from this page or the checkout survey (one answer per order)
 *   410  an expired link
 *   413  body too large · 429 rate limited (Retry-After)
 * The answer goes through the checkout survey's rules (parseFeedbackPayload) and writer, and a low one
 * alerts "Kinship: unhappy customer" like a checkout answer.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { renderToStaticMarkup } from "react-dom/server";
import { authenticate } from "../shopify.server";
import { env } from "../env.server";
import { resolveLocale, type Locale } from "../i18n";
import { getShop } from "../models/shop.server";
import { getShopSettings } from "../models/shop-settings.server";
import { hasFeedback, locateOrder, orderName, saveFirstFeedback } from "../models/feedback.server";
import { createFeedbackRateLimiter, type FeedbackRateLimiter } from "../models/rate-limit.server";
import { parseFeedbackPayload } from "../retention/feedback/payload";
import { isLowScore } from "../retention/feedback/reasons";
import { verifySurveyLink } from "../services/survey-link.server";
import { adminClientForShop } from "../jobs/admin-for-shop.server";
import { alertUnhappyCustomer, type AlertOutcome } from "../jobs/feedback-alerts.server";
import { AfterDeliverySurvey, type SurveyPageState } from "../components/AfterDeliverySurvey";
import { readCappedText } from "../services/extension-requests.server";

export const MAX_FORM_BYTES = 32 * 1024;
const KNOWN_ERRORS = new Set(["required", "too_long", "unknown_reason"]);

export interface SurveyPageDeps {
  /** Shopify's app-proxy check; throws a 400 Response when the signature is missing or wrong. */
  authenticate: (request: Request) => Promise<unknown>;
  appSecret: string;
  now: () => Date;
  limiter: FeedbackRateLimiter;
  alertUnhappy: (shop: string, feedbackId: string, now: Date) => Promise<AlertOutcome>;
  log: (message: string, detail: Record<string, unknown>) => void;
}

/** The shopper's language: the proxy's `locale` parameter, else the browser's first Accept-Language tag. */
export function surveyLocale(request: Request): Locale {
  const param = new URL(request.url).searchParams.get("locale");
  if (param) return resolveLocale(param);
  const header = request.headers.get("Accept-Language") ?? "";
  return resolveLocale(header.split(",")[0]?.split(";")[0]?.trim());
}

function page(locale: Locale, state: SurveyPageState, status: number, headers: Record<string, string> = {}): Response {
  const html = `<!doctype html>${renderToStaticMarkup(<AfterDeliverySurvey locale={locale} state={state} />)}`;
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Robots-Tag": "noindex",
      "Referrer-Policy": "no-referrer",
      ...headers,
    },
  });
}

/** The link's own parameters again, so the form posts back through the proxy to the same signed link. */
function formAction(url: URL): string {
  const keep = new URLSearchParams();
  for (const name of ["order", "expires", "token", "locale"]) {
    const value = url.searchParams.get(name);
    if (value !== null) keep.set(name, value);
  }
  return `?${keep.toString()}`;
}

export function createSurveyPage(overrides: Partial<SurveyPageDeps> = {}) {
  const deps: SurveyPageDeps = {
    authenticate: (request) => authenticate.public.appProxy(request),
    appSecret: env.SHOPIFY_API_SECRET,
    now: () => new Date(),
    limiter: createFeedbackRateLimiter(),
    alertUnhappy: (shop, feedbackId, now) =>
      alertUnhappyCustomer(shop, feedbackId, { client: () => adminClientForShop(shop, { maxAttempts: 2, maxDelayMs: 500 }), now }),
    log: (message, detail) => console.warn(`[proxy.survey] ${message}`, detail),
    ...overrides,
  };

  return async function handle(request: Request): Promise<Response> {
    await deps.authenticate(request);
    const url = new URL(request.url);
    const locale = surveyLocale(request);
    const shop = url.searchParams.get("shop") ?? "";
    const shopRow = await getShop(shop);
    if (!shopRow || shopRow.uninstalledAt) return page(locale, { kind: "invalid" }, 403);
    const now = deps.now();

    const link = verifySurveyLink(deps.appSecret, shop, url.searchParams, now);
    if (!link.ok) return page(locale, { kind: "invalid" }, link.reason === "expired" ? 410 : 403);
    const location = await locateOrder(shop, link.orderShopifyId);
    if (location.kind === "elsewhere") return page(locale, { kind: "invalid" }, 403);
    if (await hasFeedback(shop, link.orderShopifyId)) return page(locale, { kind: "answered" }, 409);

    const orderLabel = (await orderName(shop, link.orderShopifyId)) ?? `#${link.orderShopifyId.replace(/^gid:\/\/shopify\/Order\//, "")}`;
    const form = (values?: { score: string; reasons: string[]; comment: string }, errors?: string[]): SurveyPageState => ({
      kind: "form",
      orderName: orderLabel,
      action: formAction(url),
      values,
      errors,
    });
    if (request.method === "GET" || request.method === "HEAD") return page(locale, form(), 200);
    if (request.method !== "POST") return new Response(undefined, { status: 405, headers: { Allow: "GET, POST" } });

    const shopLimit = await deps.limiter.checkShop(shop, now);
    if (!shopLimit.allowed) return page(locale, form(), 429, { "Retry-After": String(Math.ceil(shopLimit.retryAfterMs / 1000)) });
    let body: URLSearchParams;
    try {
      body = new URLSearchParams(await readCappedText(request, MAX_FORM_BYTES));
    } catch {
      return page(locale, form(undefined, ["generic"]), 413);
    }
    const values = { score: body.get("score") ?? "", reasons: body.getAll("reasons"), comment: body.get("comment") ?? "" };
    const threshold = (await getShopSettings(shop)).feedback.lowScoreThreshold;
    const score = /^\d{1,2}$/.test(values.score) ? Number(values.score) : values.score === "" ? undefined : values.score;
    const parsed = parseFeedbackPayload(
      {
        score,
        // As at checkout, "what went wrong" belongs to low scores only.
        reasons: typeof score === "number" && !isLowScore(score, threshold) ? [] : values.reasons,
        comment: values.comment,
        locale,
        orderId: link.orderShopifyId,
      },
      { today: now.toISOString().slice(0, 10) },
    );
    if (!parsed.ok) {
      const codes = Object.values(parsed.fieldErrors).flat() as string[];
      const errors = [...new Set(codes.map((code) => (KNOWN_ERRORS.has(code) ? code : "generic")))];
      return page(locale, form(values, errors), 400);
    }
    const customer = location.kind === "here" ? location.customerShopifyId : null;
    const subjectLimit = await deps.limiter.checkSubject(
      shop,
      customer ?? `order:${link.orderShopifyId}`,
      customer,
      link.orderShopifyId,
      now,
    );
    if (!subjectLimit.allowed)
      return page(locale, form(values), 429, { "Retry-After": String(Math.ceil(subjectLimit.retryAfterMs / 1000)) });

    const saved = await saveFirstFeedback(shop, {
      orderShopifyId: link.orderShopifyId,
      customerShopifyId: customer,
      score: parsed.data.score,
      reasons: parsed.data.reasons,
      comment: parsed.data.comment,
      locale: parsed.data.locale,
      source: "afterDelivery",
    });
    // Another request (the checkout survey, a double submit) stored the order's answer first.
    if (!saved) return page(locale, { kind: "answered" }, 409);
    await deps
      .alertUnhappy(shop, saved.id, now)
      .catch((error) => deps.log("unhappy-customer alert not sent", { shop, feedbackId: saved.id, error: String(error) }));
    return page(locale, { kind: "thanks", low: isLowScore(parsed.data.score, threshold) }, 200);
  };
}

const handle = createSurveyPage();

export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
export const action = ({ request }: ActionFunctionArgs) => handle(request);
