import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, FormLayout, InlineStack, TextField } from "@shopify/polaris";
import { useI18n } from "./I18n";
import type { FormActionData } from "../services/lifecycle-settings.server";

export type LifecycleFormValues = Record<
  "pAliveThreshold" | "intervalMultiple" | "defaultIntervalDays" | "regularMinOrders" | "regularMinFrequencyScore",
  string
>;

/**
 * The thresholds that decide New, Loyal, Regular and Lapsed. Validated on the server; its messages show
 * under the fields they concern.
 */
export function LifecycleSettingsForm({ initial }: { initial: LifecycleFormValues }) {
  const { t } = useI18n();
  const fetcher = useFetcher<FormActionData>();
  const [values, setValues] = useState(initial);
  const result = fetcher.data?.intent === "lifecycle" ? fetcher.data : null;
  const errors = (result && !result.ok && result.errors) || {};

  // After a successful save the server's normalised values replace what was typed.
  useEffect(() => {
    if (result?.ok && result.values) setValues(result.values as LifecycleFormValues);
  }, [result]);

  const field = (name: keyof LifecycleFormValues, extra: { suffix?: string; step?: number } = {}) => (
    <TextField
      label={t(`lifecycleForm.${name}`)}
      helpText={t(`lifecycleForm.${name}Help`)}
      name={name}
      type="number"
      inputMode="decimal"
      autoComplete="off"
      value={values[name]}
      onChange={(value) => setValues((v) => ({ ...v, [name]: value }))}
      error={errors[name]}
      {...extra}
    />
  );

  return (
    <fetcher.Form method="post" noValidate>
      <input type="hidden" name="intent" value="lifecycle" />
      <BlockStack gap="300">
        {result ? (
          <Banner tone={result.ok ? "success" : "critical"}>
            <p>{result.message}</p>
          </Banner>
        ) : null}
        <FormLayout>
          <FormLayout.Group>
            {field("pAliveThreshold", { suffix: "%", step: 1 })}
            {field("intervalMultiple", { suffix: "×", step: 0.5 })}
          </FormLayout.Group>
          <FormLayout.Group>
            {field("defaultIntervalDays", { step: 1 })}
            {field("regularMinOrders", { step: 1 })}
            {field("regularMinFrequencyScore", { step: 1 })}
          </FormLayout.Group>
        </FormLayout>
        <InlineStack align="end">
          <Button submit variant="primary" loading={fetcher.state !== "idle"}>
            {t("lifecycleForm.save")}
          </Button>
        </InlineStack>
      </BlockStack>
    </fetcher.Form>
  );
}
