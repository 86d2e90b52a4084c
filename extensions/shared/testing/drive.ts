/** Drives rendered Polaris web components the way the host would: set the element's value, fire the event. */
import { render } from "preact";
import { act } from "preact/test-utils";

import type { FakeShopify } from "./fake-host";

export type Field = HTMLElement & { value?: string; values?: string[]; checked?: boolean };

/** Lets storage reads, token and fetch promises resolve and Preact re-render. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

/** Installs the fake `shopify` global and runs a target's entry module, as the host does. */
export async function mount(fake: FakeShopify, entry: () => Promise<{ default: () => unknown }>): Promise<void> {
  (globalThis as { shopify?: unknown }).shopify = fake.api;
  const module = await entry();
  await act(async () => {
    await module.default();
  });
  await settle();
}

export async function unmount(): Promise<void> {
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

/**
 * Sets a field's `value` (`checked` for a boolean, `values` for a choice list's list) and fires the event
 * its component listens to.
 */
export async function setField(selector: string, value: string | boolean | string[], eventName = "change"): Promise<void> {
  const field = find(selector);
  if (typeof value === "boolean") field.checked = value;
  else if (Array.isArray(value)) field.values = value;
  else field.value = value;
  await act(() => {
    field.dispatchEvent(new Event(eventName));
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
