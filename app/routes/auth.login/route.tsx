import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { useState } from "react";
import { login } from "../../shopify.server";
import { messagesFor, resolveLocale, type Locale } from "../../i18n";
import { I18nProvider, useI18n } from "../../components/I18n";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

/** Outside the admin there is no ?locale=: the browser's first language decides. */
function loginLocale(request: Request): Locale {
  return resolveLocale(new URL(request.url).searchParams.get("locale") ?? request.headers.get("Accept-Language"));
}

/** The error's message key, translated in the page. */
function loginError(errors: { shop?: string } | undefined): "login.missingShop" | "login.invalidShop" | undefined {
  if (!errors?.shop) return undefined;
  return errors.shop === "MISSING_SHOP" ? "login.missingShop" : "login.invalidShop";
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const errors = (await login(request)) as { shop?: string } | undefined;
  const locale = loginLocale(request);
  return json({ error: loginError(errors), locale, messages: messagesFor(locale, ["login"]) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const errors = (await login(request)) as { shop?: string } | undefined;
  return json({ error: loginError(errors) });
};

function LoginForm() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useI18n();
  const [shop, setShop] = useState("");
  const error = actionData?.error ?? loaderData.error;
  return (
    <PolarisAppProvider i18n={polarisTranslations}>
      <Page>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">
                {t("login.title")}
              </Text>
              <TextField
                type="text"
                name="shop"
                label={t("login.shop")}
                helpText={t("login.shopHelp")}
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={error ? t(error) : undefined}
              />
              <Button submit>{t("login.submit")}</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}

export default function Auth() {
  const { locale, messages } = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={locale} messages={messages}>
      <LoginForm />
    </I18nProvider>
  );
}
