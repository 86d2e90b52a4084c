import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_LOW_SCORE_THRESHOLD } from "../../../app/retention/feedback/reasons";
import { signCustomerAccountToken, signSessionToken } from "../session-token";
import { signAppProxyQuery } from "../app-proxy";
import { APP_PROXY } from "../../../app/retention/feedback/ask-after-delivery";

export interface AdminFrameOptions {
  /**
   * Where the app runs. The frame serves the app through itself (same origin), adding its own
   * origin to the app's `frame-ancestors` policy, which otherwise only allows Shopify's admin. Until it is
   * known (see `setAppUpstream`), the app's pages are answered 502.
   */
  appUpstream?: string;
  apiKey: string;
  apiSecret: string;
  shops: Array<{ domain: string; name?: string }>;
  port?: number;
}

/** What App Bridge's `shopify.app.extensions()` answers for one extension. */
export interface ExtensionInfo {
  handle: string;
  type: "ui_extension" | "theme_app_extension";
  activations: Array<{ target: string }>;
}

export interface AdminFrame {
  url: string;
  /** Where the app runs, once it has started (it needs the frame's URL first, and then takes its own port). */
  setAppUpstream(appUrl: string): void;
  /** Where the merchant has placed the app's extensions (default: the survey extension, placed nowhere). */
  setExtensions(shop: string, extensions: ExtensionInfo[]): void;
  appBridgeUrl: string;
  /** The URL a merchant would open: the emulated admin with the app embedded. */
  appPageUrl(shop: string, options?: { path?: string; locale?: string }): string;
  /**
   * The shop's storefront URL for an app-proxy path (e.g. a survey link's "/apps/kinship/survey?…"): the
   * frame forwards it to the app's proxy URL signed as Shopify does.
   */
  storefrontUrl(shop: string, pathAndQuery: string): string;
  /** The checkout survey preview (the feedback-survey extension's real code) in the emulated admin. */
  surveyPreviewUrl(shop: string, options?: { target?: SurveyTarget; locale?: string }): string;
  /** The customers the "My rewards" preview offers to pick (the demo's seeded ones); any id can also be typed. */
  setPreviewCustomers(shop: string, customers: PreviewCustomer[]): void;
  /**
   * The customer-account "My rewards" page (the my-rewards extension's real code) for one customer,
   * calling the real app with a customer-account session token the emulated admin signs.
   */
  myRewardsPreviewUrl(shop: string, options?: { customer?: string; locale?: string }): string;
  close(): Promise<void>;
}

/** A customer the "My rewards" preview lists: its GID, a name and what it has (for the demo's picker). */
export interface PreviewCustomer {
  id: string;
  name: string;
  note?: string;
}

const standIn = readFileSync(new URL("./app-bridge-standin.js", import.meta.url), "utf8");
const sidebarScript = readFileSync(new URL("./sidebar.js", import.meta.url), "utf8");
const extensionHost = readFileSync(new URL("./extension-host.js", import.meta.url), "utf8");
const SURVEY_DIR = new URL("../../../extensions/feedback-survey/", import.meta.url);
/** The survey's backend URL in the preview bundle; the preview host answers it without sending anything. */
const SURVEY_PREVIEW_APP_URL = "http://localhost/kinship-survey-preview";
const SURVEY_TARGETS = {
  "thank-you": "purchase.thank-you.block.render",
  "order-status": "customer-account.order-status.block.render",
} as const;
export type SurveyTarget = keyof typeof SURVEY_TARGETS;
const SURVEY_LOCALES = ["en", "uk", "ru", "hr"] as const;
const MY_REWARDS_DIR = new URL("../../../extensions/my-rewards/", import.meta.url);

/** An extension's own translations, as Shopify hands them to it. */
function extensionMessages(dir: URL, locale: string): unknown {
  const file = locale === "en" ? "en.default.json" : `${locale}.json`;
  return JSON.parse(readFileSync(new URL(`locales/${file}`, dir), "utf8"));
}
const surveyMessages = (locale: string) => extensionMessages(SURVEY_DIR, locale);
const previewLocale = (params: URLSearchParams) => SURVEY_LOCALES.find((l) => l === params.get("locale")) ?? "en";

/** Which page and language to preview; anything unknown falls back to the thank-you page in English. */
function surveyChoice(params: URLSearchParams): { target: SurveyTarget; locale: string } {
  return {
    target: params.get("target") === "order-status" ? "order-status" : "thank-you",
    locale: previewLocale(params),
  };
}

const rewardsBundles = new Map<string, Promise<string>>();
/** The my-rewards extension's real bundle, built once per backend URL (the frame's own origin, which proxies the app). */
function myRewardsExtensionCode(appUrl: string): Promise<string> {
  let built = rewardsBundles.get(appUrl);
  if (!built) {
    built = import("../../../scripts/build-extensions.mjs").then(async ({ bundleExtension }) => {
      const result = await bundleExtension(fileURLToPath(MY_REWARDS_DIR), { env: { KINSHIP_APP_URL: appUrl } });
      return result.code;
    });
    rewardsBundles.set(appUrl, built);
  }
  return built;
}

let surveyBundle: Promise<string> | null = null;
/** The extension's real bundle, built once the way Shopify CLI builds it (extensions/feedback-survey/build.mjs). */
function surveyExtensionCode(): Promise<string> {
  surveyBundle ??= import("../../../extensions/feedback-survey/build.mjs").then(async ({ bundle }) => {
    const built = await bundle({ env: { KINSHIP_APP_URL: SURVEY_PREVIEW_APP_URL } });
    return built.code;
  });
  return surveyBundle;
}

/** A customer GID from what a person types in the preview's picker ("123" or the GID); null otherwise. */
function customerGid(input: string | null | undefined): string | null {
  const match = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/.exec((input ?? "").trim());
  return match ? `gid://shopify/Customer/${match[1]}` : null;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** `host` as Shopify passes it: base64 of admin.shopify.com/store/<store handle>. */
export function hostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
}

const ADMIN_CSS = `
body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f1f1f1;color:#303030}
.topbar{height:48px;box-sizing:border-box;background:#1a1a1a;color:#e3e3e3;display:flex;align-items:center;gap:12px;padding:0 16px;font-size:13px}
.topbar strong{color:#fff}
.layout{display:flex;height:calc(100vh - 48px)}
.sidebar{width:240px;flex:none;background:#ebebeb;border-right:1px solid #e3e3e3;padding:12px 8px;box-sizing:border-box;overflow-y:auto}
.sidebar h2{font-size:12px;font-weight:600;color:#616161;margin:16px 8px 4px}
.sidebar ul{list-style:none;margin:0;padding:0}
.sidebar a{display:flex;align-items:center;gap:8px;padding:6px 8px;border-radius:8px;color:#303030;text-decoration:none}
.sidebar a:hover{background:#f7f7f7}
.sidebar a[aria-current="page"]{background:#fff;font-weight:650;box-shadow:0 1px 0 rgba(0,0,0,.06)}
.sidebar .app-icon{width:20px;height:20px;border-radius:5px;background:#2c6ecb;color:#fff;font-size:12px;font-weight:700;display:inline-flex;align-items:center;justify-content:center}
.sidebar .sub a{padding-left:36px}
.sidebar .note{color:#8a8a8a;padding:6px 8px;margin:0}
main{flex:1;min-width:0}
iframe{border:0;width:100%;height:100%;display:block;background:#fff}
@media (max-width:767px){.sidebar{display:none}}`;

/**
 * The admin around an app page: the top bar with the shop's name and Shopify's left sidebar. The app's
 * own entries are filled in by sidebar.js from the app's <ui-nav-menu> (as Shopify's admin does); the
 * demo's extras (the survey preview) sit in their own section.
 */
export function adminShell(options: {
  shopName: string;
  handle: string;
  title: string;
  iframeSrc: string;
  active: "app" | "survey" | "rewards";
}): string {
  const name = escapeHtml(options.shopName);
  const base = `/store/${encodeURIComponent(options.handle)}`;
  const current = (which: "app" | "survey" | "rewards") => (options.active === which ? ' aria-current="page"' : "");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · ${name} · Emulated Shopify admin</title><style>${ADMIN_CSS}</style></head>
<body><header class="topbar"><strong>${name}</strong><span>Emulated Shopify admin</span></header>
<div class="layout">
<nav class="sidebar" aria-label="Admin navigation">
<h2>Apps</h2>
<ul>
<li><a id="app-nav-home" href="${base}/apps/kinship"${current("app")}><span class="app-icon" aria-hidden="true">K</span>Kinship</a></li>
<li class="sub"><ul id="app-nav-items" data-admin-base="${base}/apps/kinship"></ul></li>
</ul>
<h2>Demo</h2>
<ul>
<li><a id="survey-preview-link" href="${base}/survey-preview"${current("survey")}>Checkout survey preview</a></li>
<li><a id="my-rewards-preview-link" href="${base}/my-rewards-preview"${current("rewards")}>Customer account: My rewards</a></li>
</ul>
</nav>
<main><iframe id="app-iframe" name="app-iframe" title="${escapeHtml(options.title)}" src="${escapeHtml(options.iframeSrc)}"></iframe></main>
</div>
${options.active === "app" ? `<script>${sidebarScript}</script>` : ""}
</body></html>`;
}

/** The survey preview page: the extension's real bundle, run by the small host in extension-host.js. */
function surveyRenderPage(target: SurveyTarget, locale: string): string {
  const config = {
    target: SURVEY_TARGETS[target],
    locale,
    appUrl: SURVEY_PREVIEW_APP_URL,
    messages: surveyMessages(locale),
    fallbackMessages: surveyMessages("en"),
    // What the app's GET /api/feedback answers a new shop; the survey shows nothing before it has it.
    lowScoreThreshold: DEFAULT_LOW_SCORE_THRESHOLD,
  };
  // JSON inside <script>: "<" escaped so no string can close the element.
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><title>Survey preview</title>
<style>body{margin:0;padding:24px;background:#f6f6f7;font:14px system-ui,sans-serif;max-width:640px}</style>
<script type="application/json" id="extension-preview-config">${json}</script>
<script src="/extension-preview/host.js"></script>
<script type="module" src="/survey-preview/extension.js"></script>
</head><body></body></html>`;
}

/** The survey preview inside the admin: which page and language to show, and the rendered block. */
function surveyPreviewPage(shop: { domain: string; name?: string }, handle: string, target: SurveyTarget, locale: string): string {
  const src = `/survey-preview/render?target=${target}&locale=${locale}`;
  const shell = adminShell({
    shopName: shop.name ?? shop.domain,
    handle,
    title: "Checkout survey preview",
    iframeSrc: src,
    active: "survey",
  });
  const choices = [
    ...(Object.keys(SURVEY_TARGETS) as SurveyTarget[]).map(
      (t) =>
        `<a href="?target=${t}&locale=${locale}"${t === target ? ' aria-current="true"' : ""}>${t === "thank-you" ? "Thank-you page" : "Order status page"}</a>`,
    ),
    ...SURVEY_LOCALES.map((l) => `<a href="?target=${target}&locale=${l}"${l === locale ? ' aria-current="true"' : ""}>${l}</a>`),
  ].join(" · ");
  return shell.replace(
    "<main><iframe",
    `<main style="display:flex;flex-direction:column"><p style="margin:0;padding:10px 16px;background:#fff;border-bottom:1px solid #e3e3e3">The feedback-survey extension's own code and translations, rendered as checkout would (answers here are not stored). ${choices}</p><iframe`,
  );
}

/** The "My rewards" page as customer accounts would render it, for one customer: the real bundle in the preview host. */
function myRewardsRenderPage(shop: string, customer: string, locale: string): string {
  const config = {
    target: "customer-account.page.render",
    locale,
    messages: extensionMessages(MY_REWARDS_DIR, locale),
    fallbackMessages: extensionMessages(MY_REWARDS_DIR, "en"),
    sessionTokenUrl: `/customer-session-token?shop=${encodeURIComponent(shop)}&customer=${encodeURIComponent(customer)}`,
  };
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><title>My rewards preview</title>
<style>body{margin:0;padding:24px;background:#f6f6f7;font:14px system-ui,sans-serif;max-width:760px}</style>
<script type="application/json" id="extension-preview-config">${json}</script>
<script src="/extension-preview/host.js"></script>
<script type="module" src="/my-rewards-preview/extension.js"></script>
</head><body></body></html>`;
}

/** The "My rewards" preview inside the admin: a customer picker (the demo's seeded customers, or any id), the language, the page. */
function myRewardsPreviewPage(
  shop: { domain: string; name?: string },
  handle: string,
  customers: PreviewCustomer[],
  customer: string | null,
  locale: string,
): string {
  const chosen = customer ?? customers[0]?.id ?? null;
  const src = chosen
    ? `/my-rewards-preview/render?shop=${encodeURIComponent(shop.domain)}&customer=${encodeURIComponent(chosen)}&locale=${locale}`
    : "about:blank";
  const shell = adminShell({ shopName: shop.name ?? shop.domain, handle, title: "My rewards preview", iframeSrc: src, active: "rewards" });
  const link = (id: string, l: string) => `?customer=${encodeURIComponent(id)}&locale=${l}`;
  const picker = customers
    .map(
      (c) =>
        `<a href="${link(c.id, locale)}"${c.id === chosen ? ' aria-current="true"' : ""}>${escapeHtml(c.name)}</a>${c.note ? ` <small>(${escapeHtml(c.note)})</small>` : ""}`,
    )
    .join(" · ");
  const languages = SURVEY_LOCALES.map(
    (l) => `<a href="${chosen ? link(chosen, l) : `?locale=${l}`}"${l === locale ? ' aria-current="true"' : ""}>${l}</a>`,
  ).join(" · ");
  const form = `<form method="get" style="display:inline"><input type="hidden" name="locale" value="${locale}"><label>Customer id <input name="customer" size="28" placeholder="gid://shopify/Customer/… or a number" value="${escapeHtml(chosen ?? "")}"></label> <button>Open</button></form>`;
  return shell.replace(
    "<main><iframe",
    `<main style="display:flex;flex-direction:column"><div id="my-rewards-picker" style="margin:0;padding:10px 16px;background:#fff;border-bottom:1px solid #e3e3e3;line-height:1.8">The my-rewards extension's own code and translations, rendered as customer accounts would for the chosen customer, reading the app's real /api/my-rewards with a customer session token signed here.<br>${picker ? `Customers: ${picker}<br>` : ""}${form} · Language: ${languages}</div><iframe`,
  );
}

/**
 * The emulated Shopify admin: a page that embeds the app in an iframe the way admin does (`shop`,
 * `host`, `embedded=1`, `id_token`, `locale`), serves the App Bridge stand-in and mints session
 * tokens for it.
 */
export async function startAdminFrame(options: AdminFrameOptions): Promise<AdminFrame> {
  let upstream = options.appUpstream ? new URL(options.appUpstream) : null;
  let ownOrigin = "";
  const known = new Map(options.shops.map((s) => [s.domain, s]));
  const token = (shop: string) => signSessionToken({ shop, apiKey: options.apiKey, apiSecret: options.apiSecret });
  const extensions = new Map<string, ExtensionInfo[]>();
  const previewCustomers = new Map<string, PreviewCustomer[]>();
  const extensionsOf = (shop: string) =>
    extensions.get(shop) ?? [{ handle: "feedback-survey", type: "ui_extension" as const, activations: [] }];

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://frame.local");
    if (url.pathname === "/app-bridge.js") {
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" }).end(standIn);
      return;
    }
    if (url.pathname === "/session-token") {
      const shop = url.searchParams.get("shop") ?? "";
      const cors = { "Content-Type": "application/json", "Cache-Control": "no-store" };
      if (!known.has(shop)) {
        res.writeHead(404, cors).end(JSON.stringify({ error: `unknown shop ${shop}` }));
        return;
      }
      res.writeHead(200, cors).end(JSON.stringify({ token: token(shop) }));
      return;
    }
    if (url.pathname === "/app-extensions") {
      const shop = url.searchParams.get("shop") ?? "";
      const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
      if (!known.has(shop)) res.writeHead(404, headers).end(JSON.stringify({ error: `unknown shop ${shop}` }));
      else res.writeHead(200, headers).end(JSON.stringify(extensionsOf(shop)));
      return;
    }
    const match = /^\/store\/([^/]+)\/apps\/kinship(\/.*)?$/.exec(url.pathname);
    if (match) {
      const shop = `${match[1]}.myshopify.com`;
      if (!known.has(shop)) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end(`No emulated shop ${shop}`);
        return;
      }
      const appPath = match[2] && match[2] !== "/" ? `/app${match[2]}` : "/app";
      const src = new URL(appPath, ownOrigin);
      // Admin passes the deep link's own query on to the app (`/apps/kinship/rules/1?turnOn=1`).
      for (const [name, value] of url.searchParams) if (name !== "locale") src.searchParams.append(name, value);
      src.searchParams.set("embedded", "1");
      src.searchParams.set("shop", shop);
      src.searchParams.set("host", hostParam(shop));
      src.searchParams.set("locale", url.searchParams.get("locale") ?? "en");
      src.searchParams.set("id_token", token(shop));
      const handle = match[1]!;
      res
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8" })
        .end(adminShell({ shopName: known.get(shop)?.name ?? shop, handle, title: "Kinship", iframeSrc: src.toString(), active: "app" }));
      return;
    }
    // The storefront's app proxy: /storefront/<shop handle>/apps/kinship/<rest> → the app's /proxy/<rest>, signed.
    const storefront = new RegExp(`^/storefront/([^/]+)/${APP_PROXY.prefix}/${APP_PROXY.subpath}(/.*)?$`).exec(url.pathname);
    if (storefront) {
      const shop = `${storefront[1]}.myshopify.com`;
      if (!known.has(shop)) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end(`No emulated shop ${shop}`);
        return;
      }
      const query = signAppProxyQuery(
        {
          shop,
          pathPrefix: `/${APP_PROXY.prefix}/${APP_PROXY.subpath}`,
          query: url.searchParams,
          timestamp: Math.floor(Date.now() / 1000),
        },
        options.apiSecret,
      );
      req.url = `${APP_PROXY.appPath}${storefront[2] ?? "/"}?${query.toString()}`;
      proxyToApp(req, res);
      return;
    }
    const preview = /^\/store\/([^/]+)\/survey-preview$/.exec(url.pathname);
    if (preview) {
      const shop = known.get(`${preview[1]}.myshopify.com`);
      if (!shop) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end(`No emulated shop ${preview[1]}.myshopify.com`);
        return;
      }
      const { target, locale } = surveyChoice(url.searchParams);
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(surveyPreviewPage(shop, preview[1]!, target, locale));
      return;
    }
    if (url.pathname === "/survey-preview/render") {
      const { target, locale } = surveyChoice(url.searchParams);
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(surveyRenderPage(target, locale));
      return;
    }
    if (url.pathname === "/extension-preview/host.js") {
      res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8" }).end(extensionHost);
      return;
    }
    const rewardsPreview = /^\/store\/([^/]+)\/my-rewards-preview$/.exec(url.pathname);
    if (rewardsPreview) {
      const shop = known.get(`${rewardsPreview[1]}.myshopify.com`);
      if (!shop) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end(`No emulated shop ${rewardsPreview[1]}.myshopify.com`);
        return;
      }
      const page = myRewardsPreviewPage(
        shop,
        rewardsPreview[1]!,
        previewCustomers.get(shop.domain) ?? [],
        customerGid(url.searchParams.get("customer")),
        previewLocale(url.searchParams),
      );
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(page);
      return;
    }
    if (url.pathname === "/my-rewards-preview/render") {
      const shop = url.searchParams.get("shop") ?? "";
      const customer = customerGid(url.searchParams.get("customer"));
      if (!known.has(shop) || !customer) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("Unknown shop or customer");
        return;
      }
      res
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" })
        .end(myRewardsRenderPage(shop, customer, previewLocale(url.searchParams)));
      return;
    }
    if (url.pathname === "/my-rewards-preview/extension.js") {
      myRewardsExtensionCode(ownOrigin).then(
        (code) => res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8" }).end(code),
        (error: unknown) =>
          res.writeHead(500, { "Content-Type": "text/plain" }).end(`The my-rewards extension did not build: ${String(error)}`),
      );
      return;
    }
    // What customer accounts' `shopify.sessionToken.get()` returns for the signed-in customer.
    if (url.pathname === "/customer-session-token") {
      const shop = url.searchParams.get("shop") ?? "";
      const customer = customerGid(url.searchParams.get("customer"));
      const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
      if (!known.has(shop) || !customer) {
        res.writeHead(404, headers).end(JSON.stringify({ error: "unknown shop or customer" }));
        return;
      }
      const signed = signCustomerAccountToken({ shop, customerId: customer, apiKey: options.apiKey, apiSecret: options.apiSecret });
      res.writeHead(200, headers).end(JSON.stringify({ token: signed }));
      return;
    }
    if (url.pathname === "/survey-preview/extension.js") {
      surveyExtensionCode().then(
        (code) => res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8" }).end(code),
        (error: unknown) =>
          res.writeHead(500, { "Content-Type": "text/plain" }).end(`The survey extension did not build: ${String(error)}`),
      );
      return;
    }
    if (url.pathname === "/") {
      const links = [...known.values()]
        .map(
          (s) =>
            `<li><a href="/store/${s.domain.replace(/\.myshopify\.com$/, "")}/apps/kinship">${escapeHtml(s.name ?? s.domain)}</a></li>`,
        )
        .join("");
      res
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8" })
        .end(`<!doctype html><title>Emulated Shopify admin</title><h1>Shops</h1><ul>${links}</ul>`);
      return;
    }
    proxyToApp(req, res);
  });

  function proxyToApp(req: IncomingMessage, res: ServerResponse) {
    const target = upstream;
    if (!target) {
      res.writeHead(502, { "Content-Type": "text/plain" }).end("The app has not started yet");
      return;
    }
    const forward = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        const headers = { ...answer.headers };
        const csp = headers["content-security-policy"];
        if (typeof csp === "string") headers["content-security-policy"] = csp.replace("frame-ancestors", `frame-ancestors ${ownOrigin}`);
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    forward.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
      res.end(`The app is not answering at ${target.origin}: ${error.message}`);
    });
    req.pipe(forward);
  }
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ownOrigin = url;
  return {
    url,
    appBridgeUrl: `${url}/app-bridge.js`,
    setAppUpstream: (appUrl) => void (upstream = new URL(appUrl)),
    setExtensions: (shop, list) => void extensions.set(shop, list),
    setPreviewCustomers: (shop, list) => void previewCustomers.set(shop, list),
    appPageUrl: (shop, opts = {}) =>
      `${url}/store/${shop.replace(/\.myshopify\.com$/, "")}/apps/kinship${opts.path ?? ""}${opts.locale ? `?locale=${opts.locale}` : ""}`,
    storefrontUrl: (shop, pathAndQuery) => `${url}/storefront/${shop.replace(/\.myshopify\.com$/, "")}${pathAndQuery}`,
    surveyPreviewUrl: (shop, opts = {}) =>
      `${url}/store/${shop.replace(/\.myshopify\.com$/, "")}/survey-preview?target=${opts.target ?? "thank-you"}&locale=${opts.locale ?? "en"}`,
    myRewardsPreviewUrl: (shop, opts = {}) => {
      const query = new URLSearchParams({ locale: opts.locale ?? "en" });
      if (opts.customer) query.set("customer", opts.customer);
      return `${url}/store/${shop.replace(/\.myshopify\.com$/, "")}/my-rewards-preview?${query.toString()}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
