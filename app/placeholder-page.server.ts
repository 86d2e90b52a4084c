import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "./shopify.server";
import { resolveLocale, translate, type MessageKey } from "./i18n";

/** Loader for pages whose issue has not landed: authenticated, translated, honest. */
export function placeholderLoader(titleKey: MessageKey, issue: number, what: string) {
  return async ({ request }: LoaderFunctionArgs) => {
    await authenticate.admin(request);
    const locale = resolveLocale(new URL(request.url).searchParams.get("locale"));
    return json({
      title: translate(locale, titleKey),
      heading: translate(locale, "placeholder.notYet"),
      body: translate(locale, "placeholder.body", { issue, what }),
    });
  };
}
