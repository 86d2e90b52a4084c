/** Saving the lifecycle thresholds (Segments and Settings share the form). */
import { fieldErrors } from "../i18n/form-errors";
import { translate, type Locale } from "../i18n";
import { adminClientForShop } from "../jobs/admin-for-shop.server";
import { keepKinshipSegmentsInStep } from "../jobs/kinship-segments.server";
import { lifecycleFormSchema, lifecycleFromForm, lifecycleToForm, saveShopSettings } from "../models/shop-settings.server";

export interface FormActionData {
  intent: string;
  ok: boolean;
  message?: string;
  errors?: Record<string, string>;
  /** What the merchant typed, echoed back so a rejected form keeps its values. */
  values?: Record<string, string>;
}

export function formValues(form: FormData, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f, String(form.get(f) ?? "").slice(0, 200)]));
}

export async function saveLifecycleForm(shop: string, form: FormData, locale: Locale): Promise<FormActionData> {
  const values = formValues(form, Object.keys(lifecycleFormSchema.shape));
  const parsed = lifecycleFormSchema.safeParse(values);
  if (!parsed.success) {
    return {
      intent: "lifecycle",
      ok: false,
      errors: fieldErrors(parsed.error, locale),
      values,
      message: translate(locale, "form.fixErrors"),
    };
  }
  const saved = await saveShopSettings(shop, { lifecycle: lifecycleFromForm(parsed.data) });
  // The at-risk high value segment is defined from the P(alive) threshold.
  await keepKinshipSegmentsInStep(shop, () => adminClientForShop(shop));
  return { intent: "lifecycle", ok: true, values: lifecycleToForm(saved.lifecycle), message: translate(locale, "lifecycleForm.saved") };
}
