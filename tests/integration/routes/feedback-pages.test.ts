import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { loader as overviewLoader } from "../../../app/routes/app.feedback._index";
import { loader as itemLoader, action as itemAction } from "../../../app/routes/app.feedback.$id";
import { resetDatabase } from "../../support/fixtures";
import { appRequest, call, installShop } from "../../support/admin-routes";

const SHOP = "feedback-pages.myshopify.com";
const OTHER = "feedback-pages-other.myshopify.com";

beforeEach(async () => {
  await resetDatabase();
  await installShop(SHOP);
  await installShop(OTHER);
});

describe("Feedback pages behind admin authentication", () => {
  it("the overview loads with the admin session token, in the admin's language", async () => {
    await db.feedback.create({ data: { shop: SHOP, orderShopifyId: "gid://shopify/Order/1", score: 2, comment: "<script>x()</script>" } });
    await db.feedback.create({ data: { shop: OTHER, orderShopifyId: "gid://shopify/Order/2", score: 1 } });
    const res = await call<{ messages: Record<string, string>; queue: { comment: string }[]; metrics: { value: string }[] }>(
      overviewLoader as never,
      await appRequest(SHOP, "/app/feedback?locale=hr-HR"),
    );
    expect(res.status).toBe(200);
    expect(res.body.messages["feedback.title"]).toBe("Povratne informacije");
    // Only this shop's item; the comment travels as data, not markup.
    expect(res.body.queue.map((r) => r.comment)).toEqual(["<script>x()</script>"]);
  });

  it("without a session token nothing is served", async () => {
    const res = await call(overviewLoader as never, await appRequest(SHOP, "/app/feedback", { token: null }));
    expect(res.status).not.toBe(200);
  });

  it("an item of another shop is 404 for the loader and the action", async () => {
    const theirs = await db.feedback.create({ data: { shop: OTHER, orderShopifyId: "gid://shopify/Order/3", score: 0 } });
    const view = await call(itemLoader as never, await appRequest(SHOP, `/app/feedback/${theirs.id}`), { id: theirs.id });
    expect(view.status).toBe(404);
    // The route's boundary shows this as the translated "Feedback not found" page with a way back.
    expect(view.body).toEqual({ notFound: "feedback" });
    const post = await call(itemAction as never, await appRequest(SHOP, `/app/feedback/${theirs.id}`, { form: { intent: "resolve" } }), {
      id: theirs.id,
    });
    expect(post.status).toBe(404);
    expect((await db.feedback.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("open");
  });

  it("an own item loads and can be resolved through the real action", async () => {
    const mine = await db.feedback.create({ data: { shop: SHOP, orderShopifyId: "gid://shopify/Order/4", score: 3, reasons: "price" } });
    const view = await call<{ view: { title: string; answer: { reasons: string[] } } }>(
      itemLoader as never,
      await appRequest(SHOP, `/app/feedback/${mine.id}`),
      { id: mine.id },
    );
    expect(view.status).toBe(200);
    expect(view.body.view).toMatchObject({ title: "Feedback on order #4", answer: { reasons: ["Price"] } });
    const post = await call(
      itemAction as never,
      await appRequest(SHOP, `/app/feedback/${mine.id}`, { form: { intent: "resolve", note: "Refunded" } }),
      { id: mine.id },
    );
    expect(post.status).toBe(200);
    expect(await db.feedback.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({ status: "resolved", note: "Refunded" });
  });
});
