/**
 * /api/my-rewards — the customer account page "My rewards" (extensions/my-rewards; issue #16, the
 * contract in docs/decisions/026-customer-account-backend.md).
 *
 * Who is asking comes only from the session token, verified by `authenticate.public.customerAccount`:
 * the shop from `dest`, the customer from `sub`. Nothing in the query or the body names a customer or a
 * shop. `?locale=` (GET and POST) is the customer's language (`shopify.localization.language`): one of the
 * app's four, else English; each code's `reasonLabel` is worded in it. Answers:
 *   OPTIONS                         CORS preflight (the library's 204)
 *   GET   200 MyRewards             that customer's tier, codes, store credit, birthday and answers
 *   POST  200 MyRewards (fresh)     `{ birthday: "YYYY-MM-DD" | null, consent: boolean }` saved or taken back
 *         400 { ok: false, fieldErrors: { birthday?, consent?, body? } }  (one code each)
 *         413 { ok: false, fieldErrors: { body: "too_large" } }           body over 4 KB
 *   401 (empty)                     no, forged, expired or foreign token, no customer in it, shop not installed
 *   429 { ok: false, error: "rate_limited" } with Retry-After (per customer; birthday saves have their own bucket)
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { JwtPayload } from "@shopify/shopify-api";
import { authenticate } from "../shopify.server";
import { env } from "../env.server";
import { parseJsonWellFormed } from "../forms/well-formed";
import { resolveLocale, type Locale } from "../i18n";
import { adminClientForShop } from "../jobs/admin-for-shop.server";
import { createMyRewardsRateLimiter, type MyRewardsRateLimiter } from "../models/rate-limit.server";
import { parseBirthdayUpdate } from "../retention/rewards";
import { deleteBirthdayMetafield, setBirthdayMetafields } from "../shopify/customer-metafields.server";
import {
  authenticateExtension,
  BodyTooLarge,
  customerFromSub,
  installedShopOf,
  jsonResponse,
  rateLimited,
  readCappedText,
  unauthorized,
  type ExtensionAuth,
} from "../services/extension-requests.server";
import { myRewards, updateMyBirthday, type MyRewardsDeps } from "../services/my-rewards.server";

export const MAX_BODY_BYTES = 4 * 1024;

export interface MyRewardsEndpointDeps extends MyRewardsDeps {
  authenticate: (request: Request) => Promise<ExtensionAuth>;
  /** The app's client id: the token's `aud` must be it (the library skips that check for extensions). */
  apiKey: string;
  limiter: MyRewardsRateLimiter;
  now: () => Date;
  maxBodyBytes: number;
}

type Caller = { shop: string; customer: string; locale: Locale };

export function createMyRewardsEndpoint(overrides: Partial<MyRewardsEndpointDeps> = {}) {
  const deps: MyRewardsEndpointDeps = {
    authenticate: (request) => authenticate.public.customerAccount(request),
    apiKey: env.SHOPIFY_API_KEY,
    limiter: createMyRewardsRateLimiter(),
    now: () => new Date(),
    adminClient: (shop) => adminClientForShop(shop, { maxAttempts: 1, maxDelayMs: 200 }),
    storeCreditBudgetMs: 1500,
    shopifyBudgetMs: 4000,
    setBirthdayMetafields,
    deleteBirthdayMetafield,
    maxBodyBytes: MAX_BODY_BYTES,
    log: (message, detail) => console.warn(`[api.my-rewards] ${message}`, detail),
    ...overrides,
  };

  /** The verified shop and customer, or null (401). A token without a customer (nobody signed in) has nothing to see. */
  async function callerOf(sessionToken: JwtPayload, request: Request): Promise<Caller | null> {
    const customer = customerFromSub(sessionToken.sub);
    if (!customer) return null;
    const shop = await installedShopOf(sessionToken, deps.apiKey);
    // Only the four languages the app words; anything else (or none) reads as English.
    return shop ? { shop, customer, locale: resolveLocale(new URL(request.url).searchParams.get("locale")) } : null;
  }

  async function respond(request: Request, handle: (caller: Caller, now: Date) => Promise<Response>): Promise<Response> {
    const { sessionToken, cors } = await authenticateExtension(request, deps.authenticate);
    try {
      const caller = await callerOf(sessionToken, request);
      if (!caller) return cors(unauthorized());
      const now = deps.now();
      const limit = deps.limiter.checkRead(caller.shop, caller.customer, now);
      if (!limit.allowed) return cors(rateLimited(limit.retryAfterMs));
      return cors(await handle(caller, now));
    } catch (error) {
      deps.log("my rewards failed", { error: error instanceof Error ? error.message : String(error) });
      return cors(jsonResponse({ ok: false, error: "server_error" }, 500));
    }
  }

  async function page({ shop, customer, locale }: Caller, now: Date): Promise<Response> {
    const body = await myRewards(shop, customer, now, locale, deps);
    return body ? jsonResponse(body, 200) : unauthorized();
  }

  async function loader({ request }: LoaderFunctionArgs): Promise<Response> {
    return respond(request, page);
  }

  async function action({ request }: ActionFunctionArgs): Promise<Response> {
    return respond(request, async (caller, now) => {
      if (request.method !== "POST") return new Response(undefined, { status: 405, headers: { Allow: "GET, POST, OPTIONS" } });
      let raw: unknown;
      try {
        raw = parseJsonWellFormed(await readCappedText(request, deps.maxBodyBytes));
      } catch (error) {
        if (error instanceof BodyTooLarge) return jsonResponse({ ok: false, fieldErrors: { body: "too_large" } }, 413);
        return jsonResponse({ ok: false, fieldErrors: { body: "invalid_json" } }, 400);
      }
      const parsed = parseBirthdayUpdate(raw, now.toISOString().slice(0, 10));
      if (!parsed.ok) return jsonResponse({ ok: false, fieldErrors: parsed.fieldErrors }, 400);
      const write = deps.limiter.checkWrite(caller.shop, caller.customer, now);
      if (!write.allowed) return rateLimited(write.retryAfterMs);
      await updateMyBirthday(caller.shop, caller.customer, parsed.data, now, deps);
      return page(caller, now);
    });
  }

  return { loader, action };
}

const endpoint = createMyRewardsEndpoint();
export const loader = endpoint.loader;
export const action = endpoint.action;
