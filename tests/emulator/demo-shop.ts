/** The demo's seeded shop (`npm run dev:local`), shared by the demo and the scripts that measure it. */
export const DEMO_SHOP = {
  domain: "kinship-demo.myshopify.com",
  name: "Kinship Demo",
  size: "small",
  seed: 2026,
  currency: "UAH",
  timeZone: "Europe/Kyiv",
  // Ukrainian first (the shop's primary language), English second: survey comments come in both.
  locales: ["uk", "en"],
} as const;
