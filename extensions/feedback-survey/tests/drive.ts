/** Drives the rendered survey: the shared helpers (../../shared/testing/drive.ts) plus the survey's own fields. */
import { clickButton, find, mount, query, setField, settle, unmount, visibleText } from "../../shared/testing/drive";
import type { FakeShopify, Target } from "./fake-shopify";

export { clickButton, find, query, settle, visibleText };

export function mountExtension(fake: FakeShopify, target: Target): Promise<void> {
  return mount(fake, () => (target === "purchase.thank-you.block.render" ? import("../src/ThankYou") : import("../src/OrderStatus")));
}

export const unmountExtension = unmount;

export async function chooseScore(score: number): Promise<void> {
  await setField('s-choice-list[name="score"]', [String(score)]);
}

export async function chooseReasons(...reasons: string[]): Promise<void> {
  await setField('s-choice-list[name="reasons"]', reasons);
}

export async function typeComment(text: string): Promise<void> {
  await setField('s-text-area[name="comment"]', text, "input");
}

export async function enterBirthday(date: string, consent: boolean): Promise<void> {
  await setField('s-date-field[name="birthday"]', date);
  await setField('s-checkbox[name="birthdayConsent"]', consent);
}
