import { beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { parseBirthdayCsv } from "../../../app/models/birthday-import.server";
import { importBirthdays as importThroughWriter } from "../../../app/jobs/birthdays.server";
import type { AdminClient } from "../../../app/shopify/admin-client.server";
import { resetDatabase } from "../../support/fixtures";

const TODAY = "2026-03-01";

describe("parseBirthdayCsv", () => {
  it("accepts a header, a BOM, quotes, ; or tab separators, ids and gids", () => {
    const text = '\uFEFF"Email","Birthday"\r\n"a@b.co","1990-01-02"\r\n123;2000-02-29\r\ngid://shopify/Customer/77\t1985-12-31\r\n';
    const { rows, errors, dataLines } = parseBirthdayCsv(text, TODAY);
    expect(errors).toEqual([]);
    expect(dataLines).toBe(3);
    expect(rows).toEqual([
      { line: 2, identifier: { kind: "email", email: "a@b.co" }, birthday: "1990-01-02" },
      { line: 3, identifier: { kind: "id", shopifyId: "gid://shopify/Customer/123" }, birthday: "2000-02-29" },
      { line: 4, identifier: { kind: "id", shopifyId: "gid://shopify/Customer/77" }, birthday: "1985-12-31" },
    ]);
  });

  it("reports each bad line with its number and reason", () => {
    const text = [
      "a@b.co",
      "not-an-id,1990-01-01",
      "a@b.co,01/02/1990",
      "a@b.co,1899-12-31",
      "c@d.co,2026-03-02",
      "e@f.co,1990-01-01,extra",
      "E@F.CO,1991-01-01",
    ].join("\n");
    const { rows, errors } = parseBirthdayCsv(text, TODAY);
    expect(errors.map((e) => [e.line, e.code])).toEqual([
      [1, "columns"],
      [2, "identifier"],
      [3, "date"],
      [4, "tooOld"],
      [5, "future"],
      [6, "columns"],
    ]);
    // Emails are compared case-insensitively.
    expect(rows).toEqual([{ line: 7, identifier: { kind: "email", email: "e@f.co" }, birthday: "1991-01-01" }]);
  });

  it("a first line of data is not mistaken for a header", () => {
    const { rows } = parseBirthdayCsv("a@b.co,1990-01-02", TODAY);
    expect(rows).toHaveLength(1);
  });
});

describe("importBirthdays", () => {
  const SHOP = "birthday-shop.myshopify.com";
  // Shopify's half is covered against the emulator (tests/integration/birthdays.test.ts); here it only records.
  const sent: unknown[] = [];
  const client = {
    shop: SHOP,
    mutate: async (_doc: string, variables: unknown) => (sent.push(variables), { metafieldsSet: { metafields: [], userErrors: [] } }),
  } as unknown as AdminClient;
  const importBirthdays = (shop: string, text: string, today: string) =>
    importThroughWriter(shop, client, text, today, new Date(`${today}T12:00:00Z`));
  beforeEach(async () => {
    await resetDatabase();
    await db.customer.createMany({
      data: [
        { shop: SHOP, shopifyId: "gid://shopify/Customer/1", email: "one@example.com", birthday: "1980-05-05" },
        { shop: SHOP, shopifyId: "gid://shopify/Customer/2", email: "two@example.com" },
        { shop: "elsewhere.myshopify.com", shopifyId: "gid://shopify/Customer/3", email: "three@example.com" },
      ],
    });
  });

  it("never touches another shop's customers and counts unchanged lines", async () => {
    const result = await importBirthdays(SHOP, "one@example.com,1980-05-05\n2,1999-09-09\nthree@example.com,1970-01-01", TODAY);
    expect(result).toMatchObject({ rows: 3, updated: 1, unchanged: 1, fileError: null });
    expect(result.errors).toEqual([{ line: 3, code: "notFound", value: "three@example.com" }]);
    expect(await db.customer.findFirst({ where: { email: "three@example.com" } })).toMatchObject({ birthday: null });
  });

  it("catches the same customer named by email and by id", async () => {
    const result = await importBirthdays(SHOP, "two@example.com,1999-09-09\n2,1999-09-10", TODAY);
    expect(result.errors).toEqual([{ line: 2, code: "duplicate", value: "2", firstLine: 1 }]);
    expect(await db.customer.findFirst({ where: { shop: SHOP, email: "two@example.com" } })).toMatchObject({ birthday: "1999-09-09" });
  });

  it("refuses empty files and files that are too large as a whole", async () => {
    expect((await importBirthdays(SHOP, "\n\n", TODAY)).fileError).toBe("empty");
    expect((await importBirthdays(SHOP, "x".repeat(2_000_001), TODAY)).fileError).toBe("tooLarge");
  });
});
