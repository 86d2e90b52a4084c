import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeClock } from "../../emulator/clock";
import { startEmulator, type Emulator } from "../../emulator/server";
import { LeakyBucket, PLAN_LIMITS } from "../../emulator/throttle";
import { API_KEY, API_SECRET, graphqlFor } from "../../support/emulator-helpers";

describe("LeakyBucket", () => {
  it("refills at the restore rate up to the maximum and refunds unused points", () => {
    const clock = fakeClock(0);
    const bucket = new LeakyBucket({ maximumAvailable: 100, restoreRate: 10 }, clock.now);
    expect(bucket.tryConsume(80)).toBe(true);
    expect(bucket.status().currentlyAvailable).toBe(20);
    expect(bucket.tryConsume(30)).toBe(false);
    expect(bucket.status().currentlyAvailable).toBe(20);
    clock.advance(1500);
    expect(bucket.status().currentlyAvailable).toBe(35);
    bucket.refund(10);
    expect(bucket.status().currentlyAvailable).toBe(45);
    clock.advance(60_000);
    expect(bucket.status()).toEqual({ maximumAvailable: 100, currentlyAvailable: 100, restoreRate: 10 });
  });

  it("uses Shopify's published restore rates per plan", () => {
    expect(PLAN_LIMITS.basic.restoreRate).toBe(100);
    expect(PLAN_LIMITS.advanced.restoreRate).toBe(200);
    expect(PLAN_LIMITS.plus.restoreRate).toBe(1000);
    expect(PLAN_LIMITS.enterprise.restoreRate).toBe(2000);
  });
});

describe("Admin API throttle", () => {
  const clock = fakeClock(Date.now());
  let emulator: Emulator;
  let gql: ReturnType<typeof graphqlFor>;
  // 2 + 100 × (order 1 + totalPriceSet 1 + shopMoney 1) = 302 points, and the tiny shop has 250 orders to return.
  const expensive = `{ orders(first: 100) { edges { node { id totalPriceSet { shopMoney { amount } } } } } }`;

  beforeAll(async () => {
    emulator = await startEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      clock: clock.now,
      shops: [{ domain: "throttle-test", size: "tiny", seed: 5, plan: "slow", throttle: { maximumAvailable: 1000, restoreRate: 50 } }],
    });
    gql = graphqlFor(emulator, emulator.issueAccessToken("throttle-test").accessToken);
  });
  afterAll(() => emulator.close());

  it("answers a burst with THROTTLED (HTTP 200) once the bucket cannot cover the requested cost, then restores", async () => {
    const available: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const answer = await gql(expensive);
      expect(answer.status).toBe(200);
      expect(answer.body.extensions?.cost?.requestedQueryCost).toBe(302);
      expect(answer.body.extensions?.cost?.actualQueryCost).toBe(302);
      available.push(answer.body.extensions?.cost?.throttleStatus.currentlyAvailable ?? -1);
    }
    expect(available).toEqual([698, 396, 94]);

    const throttled = await gql(expensive);
    expect(throttled.status).toBe(200);
    expect(throttled.body.data).toBeUndefined();
    expect(throttled.body.errors).toEqual([
      { message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } },
    ]);
    expect(throttled.body.extensions?.cost).toEqual({
      requestedQueryCost: 302,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 94, restoreRate: 50 },
    });

    clock.advance(2_000);
    const stillThrottled = await gql(expensive);
    expect(stillThrottled.body.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(194);
    expect(stillThrottled.body.errors).toEqual(throttled.body.errors);

    // (302 − 194) / 50 = 2.16 s more restores enough.
    clock.advance(2_200);
    const recovered = await gql(expensive);
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(194 + 110 - 302);
  });

  it("refunds the difference between requested and actual cost", async () => {
    const shop = emulator.shop("throttle-test");
    shop.bucket.setAvailable(1000);
    // 2 + 200 × 1 requested, but the tiny shop has only 50 customers: actual 2 + 50.
    const answer = await gql(`{ customers(first: 200) { nodes { id } } }`);
    expect(answer.body.extensions?.cost).toMatchObject({ requestedQueryCost: 202, actualQueryCost: 52 });
    expect(answer.body.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(1000 - 52);
  });

  it("rejects a single query whose requested cost exceeds 1000, without charging the bucket", async () => {
    const shop = emulator.shop("throttle-test");
    shop.bucket.setAvailable(1000);
    const tooBig = `{ orders(first: 250) { edges { node { id lineItems(first: 10) { edges { node { id } } } } } } }`;
    const answer = await gql(tooBig);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeUndefined();
    const error = (answer.body.errors as { message: string; extensions: Record<string, unknown> }[])[0];
    expect(error.extensions).toEqual({
      code: "MAX_COST_EXCEEDED",
      cost: 3252,
      maxCost: 1000,
      documentation: "https://shopify.dev/api/usage/rate-limits",
    });
    expect(error.message).toMatch(/^Query cost is 3252, which exceeds the single query max cost limit \(1000\)/);
    expect(shop.bucket.status().currentlyAvailable).toBe(1000);
  });

  it("prices each mutation at 10 points", async () => {
    const answer = await gql(
      `mutation { a: flowTriggerReceive(handle: "x", payload: {}) { userErrors { message } } b: flowTriggerReceive(handle: "y", payload: {}) { userErrors { message } } }`,
    );
    expect(answer.body.extensions?.cost).toMatchObject({ requestedQueryCost: 20, actualQueryCost: 20 });
  });
});
