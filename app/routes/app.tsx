import { json, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { authenticate } from "../shopify.server";
import { polarisTranslations, resolveLocale, translate } from "../i18n";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const locale = resolveLocale(new URL(request.url).searchParams.get("locale"));
  return json({
    apiKey: process.env.SHOPIFY_API_KEY ?? "",
    // Only the local demo and browser tests set this (the library's node adapter reads the same
    // variable for its bounce page): Shopify's CDN is unreachable there.
    appBridgeUrl: process.env.APP_BRIDGE_URL || undefined,
    locale,
    // Polaris ships no Ukrainian, Russian or Croatian strings: Kinship's own overlay on its English.
    polarisI18n: polarisTranslations(locale),
    nav: {
      customers: translate(locale, "nav.customers"),
      segments: translate(locale, "nav.segments"),
      rules: translate(locale, "nav.rules"),
      feedback: translate(locale, "nav.feedback"),
      settings: translate(locale, "nav.settings"),
      dashboard: translate(locale, "nav.dashboard"),
    },
  });
};

export default function App() {
  const { apiKey, appBridgeUrl, nav, locale, polarisI18n } = useLoaderData<typeof loader>();
  // Shopify passes ?locale= only on the first load: carry it on every link so pages stay translated.
  const to = (path: string) => `${path}?locale=${locale}`;
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      i18n={polarisI18n as Parameters<typeof AppProvider>[0]["i18n"]}
      {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}
    >
      <NavMenu>
        <Link to={to("/app")} rel="home">
          {nav.dashboard}
        </Link>
        <Link to={to("/app/customers")}>{nav.customers}</Link>
        <Link to={to("/app/segments")}>{nav.segments}</Link>
        <Link to={to("/app/rules")}>{nav.rules}</Link>
        <Link to={to("/app/feedback")}>{nav.feedback}</Link>
        <Link to={to("/app/settings")}>{nav.settings}</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
