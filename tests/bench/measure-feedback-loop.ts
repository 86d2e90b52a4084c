/**
 * Issue #17's closing note (not a test: it measures). Against the emulator, on a fresh SQLite database:
 *   answer → alert              a low answer POSTed to /api/feedback (the real endpoint and admin client) until
 *                               the emulator holds the "Kinship: unhappy customer" trigger (it is fired inside
 *                               the request, so this is the request's time; the emulator's own receipt time is
 *                               compared with the moment the answer was sent)
 *   choice → delivered          the Feedback item's "compensate" action until its ledger row is `delivered`
 *                               (code created, customer metafields written, reward trigger fired)
 *   npx tsx tests/bench/measure-feedback-loop.ts [runs]
 */
import { mkdirSync, rmSync } from "node:fs";
import "../support/test-env";

const RUNS = Number(process.argv[2]) || 20;
const url = "file:./tests/.tmp/feedback-loop.sqlite";
process.env.DATABASE_URL = url;
mkdirSync("tests/.tmp", { recursive: true });
rmSync(url.slice("file:".length), { force: true });
const { migrate } = await import("../../scripts/migrate");
await migrate(url, { quiet: true });

const { default: db } = await import("../../app/db.server");
const { startEmulatedShopify, stopEmulatedShopify } = await import("../support/emulated-shopify");
const { installShop } = await import("../support/sync-helpers");
const { saveShopSettings } = await import("../../app/models/shop-settings.server");
const { applyFlowLifecycleNotice } = await import("../../app/models/flow-usage.server");
const { createRule } = await import("../../app/models/rules.server");
const { validateRuleInput } = await import("../../app/retention/rewards");
const { UNHAPPY_TRIGGER } = await import("../../app/retention/feedback/unhappy-alert");
const { createFeedbackAction } = await import("../../app/routes/api.feedback");
const { createFeedbackItemAction } = await import("../../app/routes/app.feedback.$id");
const { answer, call, customerToken, feedbackRequest } = await import("../support/feedback");

const SHOP = "feedback-loop.myshopify.com";
const emulator = await startEmulatedShopify({ shops: [{ domain: SHOP, size: "tiny", seed: 17 }] });
process.env.SHOPIFY_ADMIN_ORIGIN = emulator.url;
await installShop(emulator, SHOP);
await saveShopSettings(SHOP, { feedback: { lowScoreThreshold: 8, firstResponseTargetMs: 24 * 3_600_000 } });
await applyFlowLifecycleNotice(SHOP, { flowTriggerDefinitionId: UNHAPPY_TRIGGER.handle, hasEnabledFlow: true, timestamp: new Date() });
const parsed = validateRuleInput({ kind: "winback", name: "Sorry", reward: { type: "percentage", percentage: 15 } }, { knownTiers: [] });
if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
const ruleId = await createRule(SHOP, parsed.rule as never);

type Handler = Parameters<typeof call>[0];
const feedbackAction = createFeedbackAction({ log: () => {} }) as unknown as Handler;
const itemAction = createFeedbackItemAction({ authenticate: async () => ({ session: { shop: SHOP } }) });
const alerts = () => emulator.shop(SHOP).flowTriggers.filter((t) => t.handle === UNHAPPY_TRIGGER.handle);

const answerToAlert: number[] = [];
const answerToReceipt: number[] = [];
const choiceToDelivered: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const customer = emulator.shop(SHOP).data.customerGid(i);
  const order = 70_000 + i;
  await db.customer.create({ data: { shop: SHOP, shopifyId: customer, orderCount: 1, predictedClv: 100 + i } });
  await db.order.create({
    data: {
      shop: SHOP,
      shopifyId: `gid://shopify/Order/${order}`,
      customerShopifyId: customer,
      name: `#${order}`,
      processedAt: new Date(),
      totalPrice: 50,
      netTotal: 50,
      currencyCode: "EUR",
    },
  });
  const token = await customerToken(SHOP, customer);
  const before = alerts().length;
  const sent = Date.now();
  const t0 = performance.now();
  const res = await call(feedbackAction, feedbackRequest(answer(order, { score: 7, reasons: ["delivery"] }), token));
  const t1 = performance.now();
  if (res.status !== 200 || alerts().length !== before + 1)
    throw new Error(`run ${i}: answer ${res.status}, alerts ${alerts().length - before}`);
  answerToAlert.push(t1 - t0);
  answerToReceipt.push(alerts()[alerts().length - 1].receivedAt - sent);

  const item = await db.feedback.findFirstOrThrow({ where: { shop: SHOP, orderShopifyId: `gid://shopify/Order/${order}` } });
  const c0 = performance.now();
  await itemAction({
    request: new Request(`https://kinship.test/app/feedback/${item.id}`, {
      method: "POST",
      body: new URLSearchParams({ intent: "compensate", ruleId }),
    }),
    params: { id: item.id },
    context: {},
  });
  const c1 = performance.now();
  const row = await db.issuedDiscount.findFirstOrThrow({ where: { shop: SHOP, idempotencyKey: `feedback-compensation:${item.id}` } });
  if (row.status !== "delivered") throw new Error(`run ${i}: compensation ${row.status} (${row.error})`);
  choiceToDelivered.push(c1 - c0);
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const row = (label: string, values: number[]) =>
  console.log(
    `${label.padEnd(42)} median ${pct(values, 50).toFixed(0).padStart(5)} ms   p95 ${pct(values, 95).toFixed(0).padStart(5)} ms   max ${Math.max(
      ...values,
    )
      .toFixed(0)
      .padStart(5)} ms   (${values.length} runs)`,
  );
row("answer → alert (request, alert inside)", answerToAlert);
row("answer sent → emulator received alert", answerToReceipt);
row("compensation chosen → delivered", choiceToDelivered);
console.log(
  `load average ${(await import("node:os"))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
await stopEmulatedShopify(emulator);
await db.$disconnect();
