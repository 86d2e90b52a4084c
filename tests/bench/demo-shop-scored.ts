/**
 * The demo's shop imported and scored as on install, in a throw-away SQLite database, for the scripts that
 * measure what its rules would do (measure-first-run.ts, measure-reach.ts, measure-rule-effects.ts). Call
 * before importing app code that opens the database: it sets DATABASE_URL.
 */
import { mkdirSync, rmSync } from "node:fs";
import type { RuleKind, ScaledDefaults } from "../../app/retention/rewards";
import "../support/test-env";

export async function demoShopScored(databaseFile: string) {
  const url = `file:./tests/.tmp/${databaseFile}`;
  process.env.DATABASE_URL = url;
  mkdirSync("tests/.tmp", { recursive: true });
  rmSync(url.slice("file:".length), { force: true });

  const { migrate } = await import("../../scripts/migrate");
  await migrate(url, { quiet: true });
  const { pollBackfill, startBackfill } = await import("../../app/jobs/backfill.server");
  const { recomputeShop } = await import("../../app/jobs/recompute.server");
  const { DEMO_SHOP } = await import("../emulator/demo-shop");
  const { startEmulatedShopify } = await import("../support/emulated-shopify");
  const { installShop, waitFor } = await import("../support/sync-helpers");

  const shop = DEMO_SHOP.domain;
  const emulator = await startEmulatedShopify({ shops: [{ ...DEMO_SHOP, locales: [...DEMO_SHOP.locales] }] });
  const client = await installShop(emulator, shop);
  await startBackfill(shop, client);
  await waitFor(
    async () => {
      const run = await pollBackfill(shop, client);
      return run?.status === "completed" || run?.status === "failed" ? run : null;
    },
    "the demo import",
    600_000,
  );
  await recomputeShop(shop);
  return { shop, timeZone: DEMO_SHOP.timeZone, emulator, client };
}

/** A rule of `kind` as the new-rule form fills it in (a draft), with the given money defaults and holdout (percent, as typed). */
export async function ruleDraft(kind: RuleKind, today: string, scale: ScaledDefaults, holdoutPercent = "0") {
  const core = await import("../../app/retention/rewards");
  const { formToRuleInput } = await import("../../app/routes/app.rules.$id");
  const values = {
    kind,
    name: kind,
    enabled: "false",
    holdoutShare: holdoutPercent,
    ...core.rewardKind(kind).formDefaults(today, { presetId: null, scale }),
  };
  for (const [path] of Object.entries(core.rewardKind(kind).formTexts?.(values) ?? {})) (values as Record<string, string>)[path] = path;
  const { input: raw } = formToRuleInput(Object.entries(values));
  const result = core.validateRuleInput(raw, { knownTiers: [] });
  if (!result.ok) throw new Error(`${kind}: ${JSON.stringify(result.fieldErrors)}`);
  return result.rule;
}
