import { gid } from "../../ids";
import type { ShopState } from "../../shop";
import { PLAN_DISPLAY } from "../../throttle";
import { compactOffset, isoUtc, zoneOffsetMinutes } from "../../time";
import type { RequestContext } from "../context";
import { defineResolvers } from "../registry";
import { metafieldFor, metafieldsConnection } from "./common";

function zoneAbbreviation(timeZone: string, ms: number): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
    .formatToParts(new Date(ms))
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? "UTC";
}

function shopAddress(shop: ShopState) {
  const profile = shop.data.profile;
  return {
    id: gid("ShopAddress", shop.shopId),
    address1: "1 Market Street",
    address2: null,
    city: profile.city,
    company: shop.name,
    country: profile.country,
    countryCodeV2: profile.countryCode,
    countryCode: profile.countryCode,
    province: null,
    provinceCode: null,
    zip: "00000",
    phone: null,
    latitude: null,
    longitude: null,
    coordinatesValidated: false,
    formatted: ["1 Market Street", profile.city, profile.country],
    formattedArea: `${profile.city}, ${profile.country}`,
  };
}

defineResolvers<ShopState>("Shop", {
  id: (s) => gid("Shop", s.shopId),
  name: (s) => s.name,
  email: (s) => s.email,
  contactEmail: (s) => s.email,
  shopOwnerName: (s) => `${s.name} Owner`,
  description: () => null,
  currencyCode: (s) => s.currency,
  enabledPresentmentCurrencies: (s) => [s.currency],
  ianaTimezone: (s) => s.timeZone,
  timezoneAbbreviation: (s, _a, ctx) => zoneAbbreviation(s.timeZone, ctx.now),
  timezoneOffset: (s, _a, ctx) => compactOffset(s.timeZone, ctx.now),
  timezoneOffsetMinutes: (s, _a, ctx) => zoneOffsetMinutes(s.timeZone, ctx.now),
  myshopifyDomain: (s) => s.domain,
  url: (s) => `https://${s.domain}`,
  primaryDomain: (s) => ({ id: gid("Domain", s.shopId), host: s.domain, url: `https://${s.domain}`, sslEnabled: true, localization: null }),
  plan: (s) => ({
    displayName: PLAN_DISPLAY[s.plan].publicDisplayName,
    publicDisplayName: PLAN_DISPLAY[s.plan].publicDisplayName,
    partnerDevelopment: s.plan === "slow",
    shopifyPlus: PLAN_DISPLAY[s.plan].shopifyPlus,
  }),
  createdAt: (s) => isoUtc(s.createdAt),
  updatedAt: (s) => isoUtc(s.createdAt),
  billingAddress: (s) => shopAddress(s),
  shopAddress: (s) => shopAddress(s),
  taxesIncluded: () => false,
  taxShipping: () => false,
  weightUnit: () => "KILOGRAMS",
  unitSystem: () => "METRIC_SYSTEM",
  checkoutApiSupported: () => false,
  setupRequired: () => false,
  transactionalSmsDisabled: () => false,
  marketingSmsConsentEnabledAtCheckout: () => false,
  orderNumberFormatPrefix: () => "#",
  orderNumberFormatSuffix: () => "",
  customerAccounts: () => "OPTIONAL",
  alerts: () => [],
  shipsToCountries: (s) => [s.data.profile.countryCode],
  metafield: (s, args, ctx) => metafieldFor(ctx, gid("Shop", s.shopId), args),
  metafields: (s, args, ctx) => metafieldsConnection(ctx, gid("Shop", s.shopId), args),
});

export function currentAppInstallation(ctx: RequestContext) {
  const appId = gid("App", 4_242_424);
  return {
    id: gid("AppInstallation", ctx.shop.shopId + 7),
    launchUrl: `https://${ctx.shop.domain}/admin/apps/${ctx.services.apiKey}`,
    accessScopes: ctx.token.scopes.map((handle) => ({ handle, description: handle.replace(/_/g, " ") })),
    activeSubscriptions: [],
    app: {
      id: appId,
      apiKey: ctx.services.apiKey,
      title: "Kinship",
      handle: "kinship",
      embedded: true,
      developerName: "Kinship",
      developerType: "PARTNER",
      features: [],
      failedRequirements: [],
      previouslyInstalled: false,
      isPostPurchaseAppInUse: false,
      pricingDetailsSummary: "Free",
      requestedAccessScopes: ctx.services.appScopes.map((handle) => ({ handle, description: handle })),
      availableAccessScopes: ctx.services.appScopes.map((handle) => ({ handle, description: handle })),
      optionalAccessScopes: [],
      launchUrl: `https://${ctx.shop.domain}/admin/apps/${ctx.services.apiKey}`,
      developerUrl: "https://example.com",
    },
  };
}
