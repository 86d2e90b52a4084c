// `npm run dev:local`: the emulator with a seeded demo shop, the app against SQLite, and the
// emulated Shopify admin to open in a browser. No Shopify account or network needed.
import { DEMO_SHOP } from "./demo-shop";
import { startLocalStack } from "./stack";

const SHOP = DEMO_SHOP.domain;
const DATABASE_URL = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
const TIME_ZONE = DEMO_SHOP.timeZone;

const stack = await startLocalStack({
  apiKey: "kinship-demo-api-key",
  apiSecret: "kinship-demo-api-secret",
  databaseUrl: DATABASE_URL,
  appPort: Number(process.env.PORT) || undefined,
  framePort: Number(process.env.KINSHIP_ADMIN_PORT) || undefined,
  shops: [{ ...DEMO_SHOP, locales: [...DEMO_SHOP.locales] }],
});

console.log(`
Kinship is running against an emulated Shopify (nothing leaves this machine).
  Open the emulated Shopify admin:  ${stack.frame.appPageUrl(SHOP)}
  In Ukrainian:                     ${stack.frame.appPageUrl(SHOP, { locale: "uk" })}
  Checkout survey preview:          ${stack.frame.surveyPreviewUrl(SHOP, { locale: "uk" })}
  Customer account "My rewards":    ${stack.frame.myRewardsPreviewUrl(SHOP, { locale: "uk" })}
  Emulator (Admin API):             ${stack.emulator.url}
The first visit installs the app and imports the demo shop's 10,000 orders (a few seconds); then
survey answers from the last weeks and draft rules (switched off) are added, so Feedback and Rules have
something to open.
Press Ctrl+C to stop.
`);

// Once the first import has finished, seed what Shopify does not hold: survey answers and draft rules.
process.env.DATABASE_URL = DATABASE_URL;
const { default: db } = await import("../../app/db.server");
const { seedDemo, seedDemoMyRewards } = await import("./demo-seed");
const { adminGraphql } = await import("./client");

/** Shopify store credit for a demo customer, through the emulated Admin API as the app would credit it. */
async function creditStoreCredit(customerId: string, amount: number, expiresAt: string): Promise<void> {
  const shopRow = await db.shop.findUnique({ where: { shop: SHOP }, select: { currencyCode: true } });
  const { accessToken: token } = stack.emulator.issueAccessToken(SHOP);
  const answer = await adminGraphql(
    stack.emulator.url,
    token,
    `mutation Credit($id: ID!, $input: StoreCreditAccountCreditInput!) {
      storeCreditAccountCredit(id: $id, creditInput: $input) { userErrors { field message } }
    }`,
    { id: customerId, input: { creditAmount: { amount: amount.toFixed(2), currencyCode: shopRow?.currencyCode ?? "UAH" }, expiresAt } },
  );
  if (answer.status !== 200 || answer.body.errors) console.error("Demo: store credit not added:", JSON.stringify(answer.body));
}
const seeding = setInterval(() => {
  void (async () => {
    const imported = await db.syncRun.findFirst({ where: { shop: SHOP, kind: "backfill", status: "completed" }, select: { id: true } });
    if (!imported) return;
    clearInterval(seeding);
    const added = await seedDemo({ shop: SHOP, locales: [...DEMO_SHOP.locales], timeZone: TIME_ZONE, now: new Date() });
    if (added.feedback || added.rules) console.log(`Demo: added ${added.feedback} survey answers and ${added.rules} draft rules.`);
    // The customers the "My rewards" preview offers: a tier, live codes and store credit to show.
    const customers = await seedDemoMyRewards({
      shop: SHOP,
      timeZone: TIME_ZONE,
      now: new Date(),
      locales: [...DEMO_SHOP.locales],
      creditStoreCredit,
    });
    stack.frame.setPreviewCustomers(SHOP, customers);
  })().catch((error: unknown) => {
    clearInterval(seeding);
    console.error("Demo seeding failed:", error);
  });
}, 2_000);

const stop = async () => {
  clearInterval(seeding);
  await stack.close();
  await db.$disconnect();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
stack.app.on("exit", (code) => {
  console.error(`The app exited (${code}).`);
  void stack.close().then(() => process.exit(code ?? 1));
});
