/** Drives rendered Polaris web components the way the host would: set the element's value, fire the event. */
import { render } from "preact";
import { act } from "preact/test-utils";

import type { FakeShopify, Target } from "./fake-shopify";

type Field = HTMLElement & { value?: string; values?: string[]; checked?: boolean };

/** Lets storage reads, token and fetch promises resolve and Preact re-render. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

export async function mountExtension(fake: FakeShopify, target: Target): Promise<void> {
  (globalThis as { shopify?: unknown }).shopify = fake.api;
  const entry = target === "purchase.thank-you.block.render" ? await import("../src/ThankYou") : await import("../src/OrderStatus");
  await act(async () => {
    await entry.default();
  });
  await settle();
}

export async function unmountExtension(): Promise<void> {
  await act(() => {
    render(null, document.body);
  });
  delete (globalThis as { shopify?: unknown }).shopify;
}

export function find(selector: string): Field {
  const element = document.body.querySelector<Field>(selector);
  if (!element) throw new Error(`nothing matches ${selector} in:\n${document.body.innerHTML}`);
  return element;
}

export function query(selector: string): Field | null {
  return document.body.querySelector<Field>(selector);
}

export async function chooseScore(score: number): Promise<void> {
  const list = find('s-choice-list[name="score"]');
  list.values = [String(score)];
  await act(() => {
    list.dispatchEvent(new Event("change"));
  });
}

export async function chooseReasons(...reasons: string[]): Promise<void> {
  const list = find('s-choice-list[name="reasons"]');
  list.values = reasons;
  await act(() => {
    list.dispatchEvent(new Event("change"));
  });
}

export async function typeComment(text: string): Promise<void> {
  const area = find('s-text-area[name="comment"]');
  area.value = text;
  await act(() => {
    area.dispatchEvent(new Event("input"));
  });
}

export async function enterBirthday(date: string, consent: boolean): Promise<void> {
  const field = find('s-date-field[name="birthday"]');
  field.value = date;
  await act(() => {
    field.dispatchEvent(new Event("change"));
  });
  const box = find('s-checkbox[name="birthdayConsent"]');
  box.checked = consent;
  await act(() => {
    box.dispatchEvent(new Event("change"));
  });
}

export async function clickButton(label: string): Promise<void> {
  const button = [...document.body.querySelectorAll<HTMLElement>("s-button")].find((b) => b.textContent?.trim() === label);
  if (!button) throw new Error(`no button "${label}" in:\n${document.body.innerHTML}`);
  await act(() => {
    button.click();
  });
  await settle();
}

/** The visible text, whitespace collapsed. */
export function visibleText(): string {
  return (document.body.textContent ?? "").replace(/\s+/g, " ").trim();
}
