import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { authenticate } from "../shopify.server";
import { refreshShopInfo } from "../models/shop.server";
import { resolveLocale, translate } from "../i18n";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale = resolveLocale(new URL(request.url).searchParams.get("locale"));
  // Read through the Admin API (graphql-request client) and kept on the Shop row.
  const shop = await refreshShopInfo({ shop: session.shop, accessToken: session.accessToken ?? "" });
  return json({
    title: translate(locale, "dashboard.title"),
    welcome: translate(locale, "dashboard.welcome", { shop: shop.name ?? session.shop }),
    currency: translate(locale, "dashboard.currency", { currency: shop.currencyCode, timezone: shop.ianaTimezone }),
    shopName: shop.name,
  });
};

export default function Dashboard() {
  const { title, welcome, currency } = useLoaderData<typeof loader>();
  return (
    <Page title={title}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd" id="shop-name">
                {welcome}
              </Text>
              <Text as="p" tone="subdued">
                {currency}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
