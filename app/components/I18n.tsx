import { createContext, useContext, useMemo, type ReactNode } from "react";
import { createTranslator, type Messages, type Translator } from "../i18n/translator";

const I18nContext = createContext<Translator>(createTranslator("en", {}));

/**
 * Gives a page's components the messages its loader picked (`messagesFor`) and the admin's locale.
 * Pages wrap their content in it; components call `useI18n()`.
 */
export function I18nProvider({ locale, messages, children }: { locale: string; messages: Messages; children: ReactNode }) {
  const translator = useMemo(() => createTranslator(locale, messages), [locale, messages]);
  return <I18nContext.Provider value={translator}>{children}</I18nContext.Provider>;
}

export function useI18n(): Translator {
  return useContext(I18nContext);
}

/**
 * Paths inside the app keep the admin's locale: Shopify passes `?locale=` only on the first load, and a
 * client-side navigation would otherwise fall back to English.
 */
export function useAppPath() {
  const { locale } = useI18n();
  return (path: string, params: Record<string, string | string[] | null | undefined> = {}) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === null || value === undefined || value === "") continue;
      for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
    }
    search.set("locale", locale);
    return `${path}?${search.toString()}`;
  };
}
