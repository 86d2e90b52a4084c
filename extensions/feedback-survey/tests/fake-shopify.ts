/**
 * The survey's `shopify` global for tests: the shared stand-in (../../shared/testing/fake-host.ts) with the
 * survey's locales, plus the order each of its two targets sees.
 */
import { signal } from "@preact/signals";

import { createFakeHost, translator as translate, type FakeShopify, type Messages } from "../../shared/testing/fake-host";
import en from "../locales/en.default.json";
import hr from "../locales/hr.json";
import ru from "../locales/ru.json";
import uk from "../locales/uk.json";

export type { FakeShopify };
export const LOCALES: Record<string, Messages> = { en, uk, ru, hr };
export const translator = (locale: string) => translate(LOCALES, locale);

export type Target = "purchase.thank-you.block.render" | "customer-account.order-status.block.render";

export interface FakeOptions {
  target?: Target;
  locale?: string;
  /** Numeric order id; the thank-you page sees it as an OrderIdentity GID, order status as an Order GID. */
  orderNumber?: string | null;
  settings?: Record<string, unknown>;
  stored?: Record<string, unknown>;
  token?: string;
}

export function createFakeShopify(options: FakeOptions = {}): FakeShopify {
  const { target = "purchase.thank-you.block.render", orderNumber = "5551234", ...rest } = options;
  const fake = createFakeHost({ ...rest, target, locales: LOCALES });
  if (target === "purchase.thank-you.block.render") {
    fake.api.orderConfirmation = signal(
      orderNumber === null
        ? undefined
        : {
            order: { id: `gid://shopify/OrderIdentity/${orderNumber}` },
            number: "ABC123",
            isFirstOrder: true,
          },
    );
  } else {
    fake.api.order = signal(orderNumber === null ? undefined : { id: `gid://shopify/Order/${orderNumber}`, name: "#1001" });
  }
  return fake;
}
