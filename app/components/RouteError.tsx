import { isRouteErrorResponse, useLocation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { Banner, Button, Page } from "@shopify/polaris";

// The page's messages come from its loader, which is what failed; these few words ship with the bundle.
const TEXT = {
  en: { title: "This page could not be loaded", body: "Kinship hit a problem on the server. Nothing was changed. Try again in a moment.", retry: "Try again" },
  uk: { title: "Не вдалося завантажити сторінку", body: "На сервері Kinship сталася помилка. Нічого не змінено. Спробуйте ще раз за мить.", retry: "Спробувати ще раз" },
  ru: { title: "Не удалось загрузить страницу", body: "На сервере Kinship произошла ошибка. Ничего не изменено. Попробуйте ещё раз через мгновение.", retry: "Попробовать ещё раз" },
  hr: { title: "Stranica se nije mogla učitati", body: "Na Kinship poslužitelju došlo je do pogreške. Ništa nije promijenjeno. Pokušajte ponovno za trenutak.", retry: "Pokušaj ponovno" },
} as const;

/**
 * A route's error boundary: an unexpected server error becomes a Polaris banner inside the admin, not a
 * blank frame. Responses thrown by Shopify's authentication keep going to the library's boundary, which
 * knows how to re-authenticate.
 */
export function RouteError() {
  const error = useRouteError();
  const location = useLocation();
  if (isRouteErrorResponse(error)) return boundary.error(error);
  const language = (new URLSearchParams(location.search).get("locale") ?? "en").slice(0, 2).toLowerCase();
  const text = TEXT[language as keyof typeof TEXT] ?? TEXT.en;
  return (
    <Page>
      <Banner tone="critical" title={text.title}>
        <p>{text.body}</p>
        <Button onClick={() => window.location.reload()}>{text.retry}</Button>
      </Banner>
    </Page>
  );
}
