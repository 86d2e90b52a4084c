// `npm run dev:local`: the emulator with a seeded demo shop, the app against SQLite, and the
// emulated Shopify admin to open in a browser. No Shopify account or network needed.
import { DEMO_SHOP } from "./demo-shop";
import { startLocalStack } from "./stack";

const SHOP = DEMO_SHOP.domain;

const stack = await startLocalStack({
  apiKey: "kinship-demo-api-key",
  apiSecret: "kinship-demo-api-secret",
  databaseUrl: process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite",
  appPort: Number(process.env.PORT) || undefined,
  framePort: Number(process.env.KINSHIP_ADMIN_PORT) || undefined,
  shops: [DEMO_SHOP],
});

console.log(`
Kinship is running against an emulated Shopify (nothing leaves this machine).
  Open the emulated Shopify admin:  ${stack.frame.appPageUrl(SHOP)}
  In Ukrainian:                     ${stack.frame.appPageUrl(SHOP, { locale: "uk" })}
  Emulator (Admin API):             ${stack.emulator.url}
The first visit installs the app and imports the demo shop's 10,000 orders (a few seconds).
Press Ctrl+C to stop.
`);

const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
stack.app.on("exit", (code) => {
  console.error(`The app exited (${code}).`);
  void stack.close().then(() => process.exit(code ?? 1));
});
