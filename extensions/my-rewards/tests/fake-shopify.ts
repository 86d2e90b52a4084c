/** The page's `shopify` global for tests: the shared stand-in with this extension's locales. */
import { createFakeHost, type FakeShopify, type Messages } from "../../shared/testing/fake-host";
import en from "../locales/en.default.json";
import hr from "../locales/hr.json";
import ru from "../locales/ru.json";
import uk from "../locales/uk.json";

export const LOCALES: Record<string, Messages> = { en, uk, ru, hr };
export type { FakeShopify };

export function createFakeShopify(options: { locale?: string; token?: string } = {}): FakeShopify {
  return createFakeHost({ ...options, target: "customer-account.page.render", locales: LOCALES });
}
