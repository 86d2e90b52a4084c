import { getJwt } from "@shopify/shopify-api/test-helpers";
import db from "../../app/db.server";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL } from "./test-env";

/** A shop with an offline session, so `authenticate.admin` accepts a session token without calling Shopify. */
export async function installShop(
  shop: string,
  fields: { name?: string; currencyCode?: string; ianaTimezone?: string; settings?: string; modelState?: string | null } = {},
) {
  await db.shop.upsert({
    where: { shop },
    create: {
      shop,
      name: fields.name ?? shop,
      currencyCode: fields.currencyCode ?? "EUR",
      ianaTimezone: fields.ianaTimezone ?? "Europe/Zagreb",
      settings: fields.settings ?? "{}",
      modelState: fields.modelState ?? null,
    },
    update: { ...fields },
  });
  await db.session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: `token-${shop}`, scope: process.env.SCOPES },
    update: {},
  });
}

/** A request as App Bridge sends it from the embedded app: a fetch with the session token. */
export async function appRequest(
  shop: string,
  path: string,
  init: { method?: string; form?: Record<string, string>; token?: string | null } = {},
): Promise<Request> {
  const headers = new Headers({ Accept: "application/json" });
  const token =
    init.token === undefined ? (await getJwt(shop.replace(/\.myshopify\.com$/, ""), TEST_API_KEY, TEST_API_SECRET)).token : init.token;
  if (token) headers.set("Authorization", `Bearer ${token}`);
  const body = init.form ? new URLSearchParams(init.form) : undefined;
  if (body) headers.set("Content-Type", "application/x-www-form-urlencoded");
  return new Request(`${TEST_APP_URL}${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
}

type RouteFn = (args: {
  request: Request;
  params: Record<string, string>;
  context: Record<string, unknown>;
}) => Promise<Response | unknown>;

/** Calls a loader or action and returns status and parsed JSON body (thrown responses included). */
export async function call<T = Record<string, unknown>>(
  fn: RouteFn,
  request: Request,
  params: Record<string, string> = {},
): Promise<{ status: number; body: T; response: Response }> {
  let response: Response;
  try {
    response = (await fn({ request, params, context: {} })) as Response;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    response = thrown;
  }
  const text = await response.clone().text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body: body as T, response };
}
