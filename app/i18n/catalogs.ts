/**
 * The admin's message catalogs, one folder per page (`catalogs/<page>/<locale>.json`), plus `shared` for the
 * words several pages use (navigation, forms, errors, lifecycle groups, RFM cells). A page's strings live in
 * its own files whoever writes them, so work on different pages never edits the same catalog.
 *
 * Each folder owns the key prefixes listed in CATALOG_PREFIXES (a test checks every key sits in the folder
 * that owns its prefix, and that every language has every key English has).
 */
import sharedEn from "./catalogs/shared/en.json";
import sharedUk from "./catalogs/shared/uk.json";
import sharedRu from "./catalogs/shared/ru.json";
import sharedHr from "./catalogs/shared/hr.json";
import dashboardEn from "./catalogs/dashboard/en.json";
import dashboardUk from "./catalogs/dashboard/uk.json";
import dashboardRu from "./catalogs/dashboard/ru.json";
import dashboardHr from "./catalogs/dashboard/hr.json";
import customersEn from "./catalogs/customers/en.json";
import customersUk from "./catalogs/customers/uk.json";
import customersRu from "./catalogs/customers/ru.json";
import customersHr from "./catalogs/customers/hr.json";
import customerEn from "./catalogs/customer/en.json";
import customerUk from "./catalogs/customer/uk.json";
import customerRu from "./catalogs/customer/ru.json";
import customerHr from "./catalogs/customer/hr.json";
import segmentsEn from "./catalogs/segments/en.json";
import segmentsUk from "./catalogs/segments/uk.json";
import segmentsRu from "./catalogs/segments/ru.json";
import segmentsHr from "./catalogs/segments/hr.json";
import settingsEn from "./catalogs/settings/en.json";
import settingsUk from "./catalogs/settings/uk.json";
import settingsRu from "./catalogs/settings/ru.json";
import settingsHr from "./catalogs/settings/hr.json";
import feedbackEn from "./catalogs/feedback/en.json";
import feedbackUk from "./catalogs/feedback/uk.json";
import feedbackRu from "./catalogs/feedback/ru.json";
import feedbackHr from "./catalogs/feedback/hr.json";
import rulesEn from "./catalogs/rules/en.json";
import rulesUk from "./catalogs/rules/uk.json";
import rulesRu from "./catalogs/rules/ru.json";
import rulesHr from "./catalogs/rules/hr.json";
// Every language's reward-kind texts in one file, so adding a kind edits one catalog (decision 005).
import kinds from "./catalogs/rules/kinds.json";
import loginEn from "./catalogs/login/en.json";
import loginUk from "./catalogs/login/uk.json";
import loginRu from "./catalogs/login/ru.json";
import loginHr from "./catalogs/login/hr.json";
// Words about forecasts' ranges and the monthly accuracy report, shown on the dashboard and the customer page.
import forecastEn from "./catalogs/forecast/en.json";
import forecastUk from "./catalogs/forecast/uk.json";
import forecastRu from "./catalogs/forecast/ru.json";
import forecastHr from "./catalogs/forecast/hr.json";
// The after-delivery survey page shoppers see on the storefront (app proxy); its questions are the checkout survey's.
import surveyEn from "./catalogs/survey/en.json";
import surveyUk from "./catalogs/survey/uk.json";
import surveyRu from "./catalogs/survey/ru.json";
import surveyHr from "./catalogs/survey/hr.json";
import type { Messages } from "./translator";

/** The first segment of a key (`customers.title` → `customers`) decides which page's catalog holds it. */
export const CATALOG_PREFIXES = {
  shared: ["nav", "common", "form", "error", "notFound", "security", "lifecycle", "lifecycleForm", "rfm", "reason", "sync", "issued"],
  dashboard: ["dashboard", "insights", "rewards", "nps"],
  customers: ["customers"],
  customer: ["customer"],
  segments: ["segments"],
  settings: ["settings", "import"],
  feedback: ["feedback"],
  rules: ["rules"],
  login: ["login"],
  forecast: ["forecast"],
  survey: ["survey"],
} as const;

export type CatalogPage = keyof typeof CATALOG_PREFIXES;

/** English: the source language and the fallback for any key a translation lacks. */
export const englishCatalog = {
  ...sharedEn,
  ...dashboardEn,
  ...customersEn,
  ...customerEn,
  ...segmentsEn,
  ...settingsEn,
  ...feedbackEn,
  ...rulesEn,
  ...kinds.en,
  ...loginEn,
  ...forecastEn,
  ...surveyEn,
};

/** Every page's catalog per language, for tests and the merged per-language dictionaries. */
export const PAGE_CATALOGS: Record<CatalogPage, Record<"en" | "uk" | "ru" | "hr", Messages>> = {
  shared: { en: sharedEn, uk: sharedUk, ru: sharedRu, hr: sharedHr },
  dashboard: { en: dashboardEn, uk: dashboardUk, ru: dashboardRu, hr: dashboardHr },
  customers: { en: customersEn, uk: customersUk, ru: customersRu, hr: customersHr },
  customer: { en: customerEn, uk: customerUk, ru: customerRu, hr: customerHr },
  segments: { en: segmentsEn, uk: segmentsUk, ru: segmentsRu, hr: segmentsHr },
  settings: { en: settingsEn, uk: settingsUk, ru: settingsRu, hr: settingsHr },
  feedback: { en: feedbackEn, uk: feedbackUk, ru: feedbackRu, hr: feedbackHr },
  rules: {
    en: { ...rulesEn, ...kinds.en },
    uk: { ...rulesUk, ...kinds.uk },
    ru: { ...rulesRu, ...kinds.ru },
    hr: { ...rulesHr, ...kinds.hr },
  },
  login: { en: loginEn, uk: loginUk, ru: loginRu, hr: loginHr },
  forecast: { en: forecastEn, uk: forecastUk, ru: forecastRu, hr: forecastHr },
  survey: { en: surveyEn, uk: surveyUk, ru: surveyRu, hr: surveyHr },
};
