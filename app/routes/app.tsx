import { json, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { authenticate } from "../shopify.server";
import { messagesFor, polarisTranslations, resolveLocale } from "../i18n";
import { I18nProvider, useAppPath, useI18n } from "../components/I18n";
import { LAYOUT_MESSAGE_PREFIXES } from "../components/RouteError";
import { followUpsPastHalfTarget } from "../services/feedback-overview.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale = resolveLocale(new URL(request.url).searchParams.get("locale"));
  return json({
    apiKey: process.env.SHOPIFY_API_KEY ?? "",
    // Only the local demo and browser tests set this (the library's node adapter reads the same
    // variable for its bounce page): Shopify's CDN is unreachable there.
    appBridgeUrl: process.env.APP_BRIDGE_URL || undefined,
    locale,
    // Polaris ships no Ukrainian, Russian or Croatian strings: Kinship's own overlay on its English.
    polarisI18n: polarisTranslations(locale),
    // The navigation and the words every page's error boundary needs (a failed page has no messages of its own).
    messages: messagesFor(locale, LAYOUT_MESSAGE_PREFIXES),
    // Unhappy customers waiting past half the first-response target (Settings), shown on "Feedback".
    feedbackWaiting: await followUpsPastHalfTarget(session.shop, new Date()),
  });
};

function Navigation({ feedbackWaiting }: { feedbackWaiting: number }) {
  const { t } = useI18n();
  // Shopify passes ?locale= only on the first load: carry it on every link so pages stay translated.
  const to = useAppPath();
  return (
    <NavMenu>
      <Link to={to("/app")} rel="home">
        {t("nav.dashboard")}
      </Link>
      <Link to={to("/app/customers")}>{t("nav.customers")}</Link>
      <Link to={to("/app/segments")}>{t("nav.segments")}</Link>
      <Link to={to("/app/rules")}>{t("nav.rules")}</Link>
      <Link to={to("/app/feedback")}>{feedbackWaiting > 0 ? t("nav.feedbackWaiting", { count: feedbackWaiting }) : t("nav.feedback")}</Link>
      <Link to={to("/app/settings")}>{t("nav.settings")}</Link>
    </NavMenu>
  );
}

export default function App() {
  const { apiKey, appBridgeUrl, locale, messages, polarisI18n, feedbackWaiting } = useLoaderData<typeof loader>();
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      i18n={polarisI18n as Parameters<typeof AppProvider>[0]["i18n"]}
      {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}
    >
      <I18nProvider locale={locale} messages={messages}>
        <Navigation feedbackWaiting={feedbackWaiting} />
      </I18nProvider>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
