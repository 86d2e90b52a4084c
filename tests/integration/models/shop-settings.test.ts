import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import {
  DEFAULT_BIRTHDAY_SETTINGS,
  DEFAULT_CONSENT_POLICY,
  getShopSettings,
  readShopSettings,
  saveShopSettings,
} from "../../../app/models/shop-settings.server";
import { DEFAULT_CUSTOMER_CAPS } from "../../../app/retention/rewards/customer-caps";
import { DEFAULT_LIFECYCLE_SETTINGS } from "../../../app/retention/segments/lifecycle";
import { resetDatabase } from "../../support/fixtures";

const SHOP = "settings-shop.myshopify.com";
const HOUR = 3_600_000;

const stored = async () => JSON.parse((await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).settings) as Record<string, unknown>;

describe("Shop.settings through its one module", () => {
  beforeEach(async () => {
    await resetDatabase();
    await db.shop.create({ data: { shop: SHOP, currencyCode: "EUR", ianaTimezone: "Europe/Zagreb" } });
  });

  it("reads every key at its default from nothing, from broken JSON and from wrong types", () => {
    const defaults = readShopSettings(null);
    expect(defaults).toEqual({
      lifespanYears: null,
      lifecycle: DEFAULT_LIFECYCLE_SETTINGS,
      consent: DEFAULT_CONSENT_POLICY,
      feedback: { lowScoreThreshold: 6, firstResponseTargetMs: 24 * HOUR, askAfterDays: 7 },
      averageShippingCost: null,
      segments: {},
      customerCaps: DEFAULT_CUSTOMER_CAPS,
      pausedAt: null,
      birthdays: DEFAULT_BIRTHDAY_SETTINGS,
    });
    expect(readShopSettings("{not json")).toEqual(defaults);
    expect(readShopSettings("[1,2]")).toEqual(defaults);
    const wrong = JSON.stringify({
      scoring: { lifespanYears: 99, lifecycle: { intervalMultiple: "3", regularMinOrders: 4 } },
      consent: { promotionalRequiresMarketingConsent: "no" },
      feedback: { lowScoreThreshold: 12, firstResponseTargetHours: 0 },
      rewards: { averageShippingCost: -5 },
      segments: {
        "lifecycle:lapsed": 42,
        "lifecycle:loyal": { id: "gid://shopify/Segment/7", name: "Kinship · Loyal", query: "metafields.kinship.lifecycle = 'loyal'" },
        loyal: "gid://shopify/Segment/6",
        __proto__: { id: "gid://shopify/Segment/9", name: "x", query: "x" },
        "Tier:Gold Members": { id: "gid://shopify/Segment/8", name: "x", query: "x" },
        "rfm:champions": { id: "", name: "x", query: "x" },
      },
    });
    // Only the well-formed values survive, key by key; an unknown segment key never becomes a property.
    expect(readShopSettings(wrong)).toEqual({
      ...defaults,
      lifecycle: { ...DEFAULT_LIFECYCLE_SETTINGS, regularMinOrders: 4 },
      segments: {
        "lifecycle:loyal": { id: "gid://shopify/Segment/7", name: "Kinship · Loyal", query: "metafields.kinship.lifecycle = 'loyal'" },
      },
    });
  });

  it("writes each part, keeps the keys it does not change, and reads back what it wrote", async () => {
    const lapsedSegment = { id: "gid://shopify/Segment/1", name: "Kinship · Lapsed", query: "metafields.kinship.lifecycle = 'lapsed'" };
    await db.shop.update({
      where: { shop: SHOP },
      data: { settings: JSON.stringify({ olderFeature: { keep: true }, scoring: { lifespanYears: 2 } }) },
    });
    await saveShopSettings(SHOP, { lifecycle: { intervalMultiple: 2.5 } });
    await saveShopSettings(SHOP, { consent: { promotionalRequiresMarketingConsent: false } });
    await saveShopSettings(SHOP, { feedback: { lowScoreThreshold: 4, firstResponseTargetMs: 8 * HOUR } });
    await saveShopSettings(SHOP, { averageShippingCost: 4.5, segments: { "lifecycle:lapsed": lapsedSegment } });
    // Two parts under one stored key (issuance.*) in one write keep each other.
    const pausedAt = new Date("2026-12-01T10:00:00Z");
    await saveShopSettings(SHOP, { customerCaps: { perDay: 2, per30Days: 5 }, pausedAt });
    expect(await getShopSettings(SHOP)).toMatchObject({ customerCaps: { perDay: 2, per30Days: 5 }, pausedAt });
    await saveShopSettings(SHOP, { customerCaps: DEFAULT_CUSTOMER_CAPS, pausedAt: null });
    const settings = await getShopSettings(SHOP);
    expect(settings).toEqual({
      lifespanYears: 2,
      lifecycle: { ...DEFAULT_LIFECYCLE_SETTINGS, intervalMultiple: 2.5 },
      consent: { ...DEFAULT_CONSENT_POLICY, promotionalRequiresMarketingConsent: false },
      feedback: { lowScoreThreshold: 4, firstResponseTargetMs: 8 * HOUR, askAfterDays: 7 },
      averageShippingCost: 4.5,
      segments: { "lifecycle:lapsed": lapsedSegment },
      customerCaps: DEFAULT_CUSTOMER_CAPS,
      pausedAt: null,
      birthdays: DEFAULT_BIRTHDAY_SETTINGS,
    });
    expect(await stored()).toMatchObject({
      olderFeature: { keep: true },
      feedback: { firstResponseTargetHours: 8 },
      rewards: { averageShippingCost: 4.5 },
    });

    await saveShopSettings(SHOP, { lifespanYears: null, averageShippingCost: null });
    const cleared = await stored();
    expect((cleared.scoring as Record<string, unknown>).lifespanYears).toBeUndefined();
    expect((await getShopSettings(SHOP)).averageShippingCost).toBeNull();
  });

  it("refuses an invalid value and writes nothing", async () => {
    await saveShopSettings(SHOP, { lifecycle: { intervalMultiple: 2 } });
    const before = await stored();
    await expect(saveShopSettings(SHOP, { lifecycle: { intervalMultiple: 50 } })).rejects.toThrow();
    await expect(saveShopSettings(SHOP, { feedback: { lowScoreThreshold: 11, firstResponseTargetMs: HOUR } })).rejects.toThrow();
    await expect(saveShopSettings(SHOP, { averageShippingCost: -1 })).rejects.toThrow();
    // A segment key is Kinship's own (kinship-segments.ts), never a name: anything else is refused.
    await expect(
      saveShopSettings(SHOP, { segments: { "tier:Gold Members": { id: "gid://shopify/Segment/1", name: "x", query: "x" } } }),
    ).rejects.toThrow();
    expect(await stored()).toEqual(before);
  });

  it("keeps both parts when two saves of different parts meet (Pause all during a settings save)", async () => {
    const at = new Date("2026-12-01T10:00:00Z");
    await Promise.all([
      saveShopSettings(SHOP, { pausedAt: at }),
      saveShopSettings(SHOP, { lifecycle: { intervalMultiple: 2 } }),
      saveShopSettings(SHOP, { averageShippingCost: 4.5 }),
      saveShopSettings(SHOP, { feedback: { lowScoreThreshold: 5, firstResponseTargetMs: HOUR } }),
    ]);
    const settings = await getShopSettings(SHOP);
    expect({
      pausedAt: settings.pausedAt,
      intervalMultiple: settings.lifecycle.intervalMultiple,
      averageShippingCost: settings.averageShippingCost,
      lowScoreThreshold: settings.feedback.lowScoreThreshold,
    }).toEqual({ pausedAt: at, intervalMultiple: 2, averageShippingCost: 4.5, lowScoreThreshold: 5 });

    // The same for a shop with no row yet: one save creates it, the other writes over what it created.
    const fresh = "settings-fresh.myshopify.com";
    await Promise.all([saveShopSettings(fresh, { pausedAt: at }), saveShopSettings(fresh, { averageShippingCost: 3 })]);
    expect(await getShopSettings(fresh)).toMatchObject({ pausedAt: at, averageShippingCost: 3 });
  });
});
