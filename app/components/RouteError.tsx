import { isRouteErrorResponse, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { Banner, BlockStack, Box, Button, Page } from "@shopify/polaris";
import type { Messages } from "../i18n/translator";
import { I18nProvider, useAppPath, useI18n } from "./I18n";

/**
 * What the app layout's loader sends for every page: the navigation and the words of this boundary. A page
 * whose loader failed has no messages of its own, but its parent layout's loader has run.
 */
export const LAYOUT_MESSAGE_PREFIXES = ["nav", "error", "notFound"] as const;

/** Things a page can fail to find, and the list each one's "not found" page leads back to. */
const NOT_FOUND_BACK = {
  customer: "/app/customers",
  feedback: "/app/feedback",
  rule: "/app/rules",
} as const;
export type NotFoundKind = keyof typeof NOT_FOUND_BACK;

interface NotFoundData {
  notFound: NotFoundKind;
}

/**
 * Stops a loader or action with a 404 that the route's `RouteError` boundary shows as a translated page with
 * a way back (`throw notFound("rule")`). A plain Response, so server and browser code can both import it.
 */
export function notFound(kind: NotFoundKind): Response {
  const body: NotFoundData = { notFound: kind };
  return new Response(JSON.stringify(body), { status: 404, headers: { "Content-Type": "application/json; charset=utf-8" } });
}

function notFoundKind(data: unknown): NotFoundKind | null {
  const kind = data && typeof data === "object" ? (data as Partial<NotFoundData>).notFound : undefined;
  return typeof kind === "string" && Object.hasOwn(NOT_FOUND_BACK, kind) ? kind : null;
}

function NotFoundPage({ kind }: { kind: NotFoundKind }) {
  const { t } = useI18n();
  const path = useAppPath();
  const back = path(NOT_FOUND_BACK[kind]);
  return (
    <Page title={t(`notFound.${kind}.title`)} backAction={{ content: t(`notFound.${kind}.back`), url: back }}>
      <Banner tone="warning" title={t(`notFound.${kind}.title`)}>
        <BlockStack gap="200">
          <p>{t(`notFound.${kind}.body`)}</p>
          <Box>
            <Button url={back}>{t(`notFound.${kind}.back`)}</Button>
          </Box>
        </BlockStack>
      </Banner>
    </Page>
  );
}

function ServerErrorPage() {
  const { t } = useI18n();
  return (
    <Page>
      <Banner tone="critical" title={t("error.title")}>
        <BlockStack gap="200">
          <p>{t("error.body")}</p>
          <Box>
            <Button onClick={() => window.location.reload()}>{t("error.retry")}</Button>
          </Box>
        </BlockStack>
      </Banner>
    </Page>
  );
}

/**
 * Every admin page's error boundary (`export { RouteError as ErrorBoundary }`): a `notFound(...)` becomes a
 * translated page with a way back, an unexpected server error a Polaris banner inside the admin, not a blank
 * frame. Other responses (those thrown by Shopify's authentication) keep going to the library's boundary,
 * which knows how to re-authenticate.
 */
export function RouteError() {
  const error = useRouteError();
  const layout = useRouteLoaderData("routes/app") as { locale?: string; messages?: Messages } | undefined;
  const kind = isRouteErrorResponse(error) && error.status === 404 ? notFoundKind(error.data) : null;
  if (isRouteErrorResponse(error) && !kind) return boundary.error(error);
  return (
    <I18nProvider locale={layout?.locale ?? "en"} messages={layout?.messages ?? {}}>
      {kind ? <NotFoundPage kind={kind} /> : <ServerErrorPage />}
    </I18nProvider>
  );
}
