import { json, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import polarisEn from "@shopify/polaris/locales/en.json";
import { authenticate } from "../shopify.server";
import { resolveLocale, translate } from "../i18n";

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
  const { apiKey, appBridgeUrl, nav } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} i18n={polarisEn} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          {nav.dashboard}
        </Link>
        <Link to="/app/customers">{nav.customers}</Link>
        <Link to="/app/segments">{nav.segments}</Link>
        <Link to="/app/rules">{nav.rules}</Link>
        <Link to="/app/feedback">{nav.feedback}</Link>
        <Link to="/app/settings">{nav.settings}</Link>
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
