/**
 * Polaris's own component strings ("Previous", "Sort the results", "Clear all filters"…). Polaris ships no
 * Ukrainian, Russian or Croatian catalog, so Kinship keeps translations of the strings its pages use and
 * lays them over Polaris's English, which covers anything not translated.
 *
 * Usage (app/routes/app.tsx): return `polarisTranslations(locale)` from the layout loader and pass it to
 * `<AppProvider i18n={…}>`; it is a plain JSON object.
 */
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisUk from "./polaris/uk.json";
import polarisRu from "./polaris/ru.json";
import polarisHr from "./polaris/hr.json";

type Dictionary = { [key: string]: string | Dictionary };

const overlays: Record<string, Dictionary> = { uk: polarisUk, ru: polarisRu, hr: polarisHr };

function deepMerge(base: Dictionary, overlay: Dictionary): Dictionary {
  const merged: Dictionary = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = merged[key];
    merged[key] = typeof value === "object" && typeof current === "object" ? deepMerge(current, value) : value;
  }
  return merged;
}

const cache = new Map<string, Dictionary>();

export function polarisTranslations(locale: string): Dictionary {
  const overlay = overlays[locale];
  if (!overlay) return polarisEn as Dictionary;
  let merged = cache.get(locale);
  if (!merged) {
    merged = deepMerge(polarisEn as Dictionary, overlay);
    cache.set(locale, merged);
  }
  return merged;
}
