import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ORDER_INCLUDE_FIELDS } from "../../../app/sync/webhook-records";
import { CUSTOMER_RECORD_COLUMNS, EMAIL_CONSENT_COLUMNS } from "../../../app/webhooks/sync-handlers.server";
import { normaliseTopic, SUBSCRIBED_TOPICS, WEBHOOK_TOPICS } from "../../../app/webhooks/topics.server";

/** The [[webhooks.subscriptions]] blocks of shopify.app.toml: topics (or compliance topics) and include_fields. */
function tomlSubscriptions() {
  const toml = readFileSync("shopify.app.toml", "utf8");
  const list = (block: string, key: string) => {
    const match = new RegExp(`^\\s*${key}\\s*=\\s*\\[([^\\]]*)\\]`, "m").exec(block);
    return match ? [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]) : null;
  };
  return toml
    .split("[[webhooks.subscriptions]]")
    .slice(1)
    .map((block) => ({
      topics: list(block, "topics") ?? list(block, "compliance_topics") ?? [],
      includeFields: list(block, "include_fields"),
    }));
}

describe("webhook topics", () => {
  it("are exactly the topics shopify.app.toml subscribes to, each once", () => {
    const subscribed = tomlSubscriptions().flatMap((s) => s.topics);
    expect([...subscribed].sort()).toEqual([...SUBSCRIBED_TOPICS].sort());
    expect(new Set(subscribed).size).toBe(subscribed.length);
  });

  it("set include_fields to exactly what orderFromWebhook reads on the order topics, and on no other", () => {
    for (const subscription of tomlSubscriptions()) {
      for (const topic of subscription.topics) {
        const definition = WEBHOOK_TOPICS.find((d) => d.topic === topic)!;
        expect({ topic, includeFields: subscription.includeFields }).toEqual({
          topic,
          includeFields: definition.includeFields ? [...ORDER_INCLUDE_FIELDS] : null,
        });
      }
    }
  });

  it("ask for the scope customers/merge needs", () => {
    expect(readFileSync("shopify.app.toml", "utf8")).toMatch(/^scopes = "[^"]*\bread_customer_merge\b/m);
  });

  it("map the library's enum names back to header topics, dotted ones included", () => {
    expect(normaliseTopic("ORDERS_CREATE")).toBe("orders/create");
    expect(normaliseTopic("CUSTOMER_TAGS_ADDED")).toBe("customer.tags_added");
    expect(normaliseTopic("CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE")).toBe("customers_email_marketing_consent/update");
    expect(normaliseTopic("customers/merge")).toBe("customers/merge");
  });

  it("never let a customer record or consent topic own birthday, tags or the RFM group", () => {
    for (const columns of [CUSTOMER_RECORD_COLUMNS, EMAIL_CONSENT_COLUMNS]) {
      expect(columns.filter((c: string) => ["birthday", "tags", "shopifyRfmGroup"].includes(c))).toEqual([]);
    }
  });
});
