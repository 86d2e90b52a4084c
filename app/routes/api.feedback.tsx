/**
 * POST /api/feedback — the checkout survey's answers (extensions/feedback-survey/src/api.ts).
 * GET /api/feedback — the survey's configuration: `{ ok: true, config: { lowScoreThreshold } }`, the
 * shop's one threshold (Settings), so the survey asks "what went wrong" exactly for the scores the
 * follow-up queue takes. Same token checks as POST (401 otherwise).
 *
 * Who is asking comes only from the session token (verified by `authenticate.public.checkout`):
 * the shop from `dest`, the customer from `sub` when the buyer is logged in. The body says which
 * order; an order the database knows under another shop is refused, and a known order's customer
 * must be the token's. Answers:
 *   200 { ok: true, reward? }         stored (a second answer for the same order rewrites the first; an order
 *                                     already answered on the after-delivery page keeps that answer)
 *   400 { ok: false, fieldErrors }    invalid JSON or payload (codes from parseFeedbackPayload)
 *   401                               no, forged, expired or foreign token; shop not installed
 *   413 { ok: false, fieldErrors }    body over MAX_BODY_BYTES
 *   429 { ok: false, error }          rate limited (Retry-After in seconds)
 * Birthdays, the thank-you reward and the unhappy-customer Flow alert are best effort: Shopify being slow or
 * down never costs the answer (an alert not sent is retried by the scheduler's tick).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { JwtPayload } from "@shopify/shopify-api";
import {
  authenticateExtension,
  BodyTooLarge,
  customerFromSub,
  installedShopOf,
  jsonResponse,
  rateLimited,
  readCappedText,
  unauthorized,
  withTimeout,
  type ExtensionAuth,
} from "../services/extension-requests.server";
import { authenticate } from "../shopify.server";
import { parseJsonWellFormed } from "../forms/well-formed";
import { env } from "../env.server";
import { getShopSettings } from "../models/shop-settings.server";
import { keepGuestBirthday, locateOrder, saveFeedback } from "../models/feedback.server";
import { createFeedbackRateLimiter, type FeedbackRateLimiter } from "../models/rate-limit.server";
import { parseFeedbackPayload, type FeedbackFieldErrors } from "../retention/feedback/payload";
import { adminClientForShop } from "../jobs/admin-for-shop.server";
import type { AdminClient } from "../shopify/admin-client.server";
import { saveCustomerBirthday } from "../jobs/birthdays.server";
import { recordConsents } from "../models/consent-records.server";
import { setBirthdayMetafields } from "../shopify/customer-metafields.server";
import { thankYouReward, type ThankYouCode as ThankYouReward } from "../jobs/feedback-rewards.server";
import { alertUnhappyCustomer, type AlertOutcome } from "../jobs/feedback-alerts.server";

/** The largest valid answer (2,000 characters of \uXXXX-escaped comment) is ~13 KB. */
export const MAX_BODY_BYTES = 32 * 1024;
/** Shopify work must finish well inside the extension's 10 s timeout. */
export const SHOPIFY_BUDGET_MS = 4000;

export type CheckoutAuth = ExtensionAuth;

export interface FeedbackEndpointDeps {
  authenticate: (request: Request) => Promise<CheckoutAuth>;
  /** The app's client id: the token's `aud` must be it (the library skips that check for extensions). */
  apiKey: string;
  limiter: FeedbackRateLimiter;
  now: () => Date;
  adminClient: (shop: string) => Promise<AdminClient>;
  /** Shopify's half of the one birthday writer (app/jobs/birthdays.server.ts), replaceable in tests. */
  setBirthdayMetafields: typeof setBirthdayMetafields;
  thankYouReward: (shop: string, input: { feedbackId: string; customerShopifyId: string; now: Date }) => Promise<ThankYouReward | null>;
  /** The "Kinship: unhappy customer" Flow alert for a low answer (once per item, whoever asks). */
  alertUnhappy: (shop: string, feedbackId: string, now: Date) => Promise<AlertOutcome>;
  shopifyBudgetMs: number;
  maxBodyBytes: number;
  log: (message: string, detail: Record<string, unknown>) => void;
}

const fieldErrors = (status: number, errors: FeedbackFieldErrors) => jsonResponse({ ok: false, fieldErrors: errors }, status);

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createFeedbackAction(overrides: Partial<FeedbackEndpointDeps> = {}) {
  const deps: FeedbackEndpointDeps = {
    authenticate: (request) => authenticate.public.checkout(request),
    apiKey: env.SHOPIFY_API_KEY,
    limiter: createFeedbackRateLimiter(),
    now: () => new Date(),
    adminClient: (shop) => adminClientForShop(shop, { maxAttempts: 2, maxDelayMs: 500 }),
    setBirthdayMetafields,
    thankYouReward,
    alertUnhappy: (shop, feedbackId, now) => alertUnhappyCustomer(shop, feedbackId, { client: () => deps.adminClient(shop), now }),
    shopifyBudgetMs: SHOPIFY_BUDGET_MS,
    maxBodyBytes: MAX_BODY_BYTES,
    log: (message, detail) => console.warn(`[api.feedback] ${message}`, detail),
    ...overrides,
  };

  async function action({ request }: ActionFunctionArgs): Promise<Response> {
    const { sessionToken, cors } = await authenticateExtension(request, deps.authenticate);
    try {
      return cors(await handle(request, sessionToken));
    } catch (error) {
      deps.log("feedback not stored", { error: errorMessage(error) });
      // With CORS headers, so the extension sees a failure it can read instead of an opaque network error.
      return cors(jsonResponse({ ok: false, error: "server_error" }, 500));
    }
  }

  async function handle(request: Request, sessionToken: JwtPayload): Promise<Response> {
    if (request.method !== "POST") return new Response(undefined, { status: 405, headers: { Allow: "POST, OPTIONS" } });

    const shop = await installedShopOf(sessionToken, deps.apiKey);
    if (!shop) return unauthorized();
    const tokenCustomer = customerFromSub(sessionToken.sub);
    const now = deps.now();

    const shopLimit = await deps.limiter.checkShop(shop, now);
    if (!shopLimit.allowed) return rateLimited(shopLimit.retryAfterMs);

    let raw: unknown;
    try {
      const text = await readCappedText(request, deps.maxBodyBytes);
      raw = parseJsonWellFormed(text);
    } catch (error) {
      if (error instanceof BodyTooLarge) return fieldErrors(413, { body: ["too_large"] });
      return fieldErrors(400, { body: ["invalid_json"] });
    }
    const parsed = parseFeedbackPayload(raw, { today: now.toISOString().slice(0, 10) });
    if (!parsed.ok) return fieldErrors(400, parsed.fieldErrors);
    const input = parsed.data;

    const location = await locateOrder(shop, input.orderId);
    if (location.kind === "elsewhere") return unauthorized();
    const orderCustomer = location.kind === "here" ? location.customerShopifyId : null;
    // A logged-in buyer answers for their own orders only.
    if (tokenCustomer && orderCustomer && tokenCustomer !== orderCustomer) return unauthorized();
    const customer = tokenCustomer ?? orderCustomer;

    // Guests have no customer id: their attempts are counted per token, so one checkout can't walk order numbers.
    const subjectKey =
      customer ?? (typeof sessionToken.jti === "string" && sessionToken.jti ? `guest:${sessionToken.jti}` : `order:${input.orderId}`);
    const subjectLimit = await deps.limiter.checkSubject(shop, subjectKey, customer, input.orderId, now);
    if (!subjectLimit.allowed) return rateLimited(subjectLimit.retryAfterMs);

    const saved = await saveFeedback(shop, {
      orderShopifyId: input.orderId,
      customerShopifyId: customer,
      score: input.score,
      reasons: input.reasons,
      comment: input.comment,
      locale: input.locale,
    });
    const customerId = saved.customerShopifyId;

    // Everything below is extra: the answer is already stored.
    const extras: Promise<unknown>[] = [
      // Guests too: the alert names the order, which Flow resolves whether or not Kinship knows the customer.
      deps
        .alertUnhappy(shop, saved.id, now)
        .catch((error) => deps.log("unhappy-customer alert not sent", { shop, feedbackId: saved.id, error: errorMessage(error) })),
    ];
    let reward: ThankYouReward | null = null;
    if (customerId && input.birthday) {
      const birthday = input.birthday;
      extras.push(
        (async () => {
          // The one birthday writer: the local row first, then Shopify's facts.birth_date.
          await saveCustomerBirthday(shop, customerId, birthday, () => deps.adminClient(shop), {
            now,
            setMetafields: deps.setBirthdayMetafields,
          });
          // Consent as a record: when, where and under which wording the buyer agreed.
          await recordConsents(shop, [
            {
              customerShopifyId: customerId,
              purpose: "birthday",
              granted: true,
              source: "checkoutSurvey",
              textVersion: input.consentTextVersion,
              givenAt: now,
            },
          ]);
        })().catch((error) => deps.log("birthday not saved in Shopify", { shop, feedbackId: saved.id, error: errorMessage(error) })),
      );
    }
    if (!customerId && input.birthday) {
      // A guest (or an order not synced yet): kept on the answer until the order names its customer.
      await keepGuestBirthday(shop, saved.id, {
        birthday: input.birthday,
        consentTextVersion: input.consentTextVersion ?? null,
        consentAt: now,
      });
    }
    if (customerId) {
      // Never conditional on the score: the same thanks for a 0 and a 10.
      extras.push(
        deps
          .thankYouReward(shop, { feedbackId: saved.id, customerShopifyId: customerId, now })
          .then((r) => {
            reward = r;
          })
          .catch((error) => deps.log("thank-you reward not issued", { shop, feedbackId: saved.id, error: errorMessage(error) })),
      );
    }
    await withTimeout(Promise.all(extras), deps.shopifyBudgetMs).catch((error) =>
      deps.log("Shopify work still running after the budget", { shop, feedbackId: saved.id, error: errorMessage(error) }),
    );
    const granted = reward as ThankYouReward | null;
    return jsonResponse(granted ? { ok: true, reward: { code: granted.code, endsAt: granted.endsAt } } : { ok: true }, 200);
  }

  return action;
}

export const action = createFeedbackAction();

/** What the survey needs from the app before it asks anything; the shop comes only from the token. */
export interface SurveyConfigResponse {
  ok: true;
  config: { lowScoreThreshold: number };
}

export function createFeedbackLoader(overrides: Partial<Pick<FeedbackEndpointDeps, "authenticate" | "apiKey">> = {}) {
  const authenticateCheckout = overrides.authenticate ?? ((request: Request) => authenticate.public.checkout(request));
  const apiKey = overrides.apiKey ?? env.SHOPIFY_API_KEY;
  return async function loader({ request }: LoaderFunctionArgs): Promise<Response> {
    const { sessionToken, cors } = await authenticateExtension(request, authenticateCheckout);
    const shop = await installedShopOf(sessionToken, apiKey);
    if (!shop) return cors(unauthorized());
    const { feedback } = await getShopSettings(shop);
    const body: SurveyConfigResponse = { ok: true, config: { lowScoreThreshold: feedback.lowScoreThreshold } };
    return cors(jsonResponse(body, 200));
  };
}

export const loader = createFeedbackLoader();
