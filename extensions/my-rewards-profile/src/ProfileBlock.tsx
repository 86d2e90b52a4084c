import "@shopify/ui-extensions/preact";
import { render } from "preact";

/** The "My rewards" page's handle (extensions/my-rewards/shopify.extension.toml). */
export const MY_REWARDS_PAGE = "extension://my-rewards";

/**
 * customer-account.profile.block.render: a short block on the Profile page that opens the "My rewards"
 * full page. A full-page target cannot share an extension with another target, so the link lives here;
 * Shopify resolves `extension://<handle>` to the other extension's page.
 */
export default async () => {
  const t = (key: string) => String(shopify.i18n.translate(key));
  render(
    <s-section heading={t("heading")}>
      <s-stack gap="base">
        <s-paragraph>{t("body")}</s-paragraph>
        <s-link href={MY_REWARDS_PAGE}>{t("link")}</s-link>
      </s-stack>
    </s-section>,
    document.body,
  );
};
