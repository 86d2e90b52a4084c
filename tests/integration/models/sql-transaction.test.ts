import { afterEach, beforeEach, describe, expect, it } from "vitest";
import db from "../../../app/db.server";
import { rawSqlTransaction } from "../../../app/models/sql/sql-transaction.server";
import Database from "better-sqlite3";
import { databaseUrl } from "../../../app/database-url";
import { dialect, newId, placeholder, sqlTimestamp } from "../../../app/models/sql/sql.server";
import { resetDatabase } from "../../support/fixtures";

const SHOP = "raw-sql.myshopify.com";
const INSERT_EVENT = `INSERT INTO "WebhookEvent" ("id", "shop", "webhookId", "topic", "receivedAt") VALUES (${[1, 2, 3, 4, 5].map(placeholder).join(", ")})`;
const READ_EVENT = `SELECT "receivedAt" FROM "WebhookEvent" WHERE "shop" = ${placeholder(1)} AND "webhookId" = ${placeholder(2)}`;

describe("rawSqlTransaction", () => {
  const zone = process.env.TZ;
  beforeEach(resetDatabase);
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("commits its statements together and keeps timestamps in UTC whatever the process's time zone", async () => {
    // A driver that binds or reads `timestamp` in local time would shift these by hours.
    process.env.TZ = "America/New_York";
    const at = new Date("2026-07-01T23:30:00.123Z");
    const readBack = await rawSqlTransaction(async (sql) => {
      await sql.$executeRawUnsafe(INSERT_EVENT, newId(), SHOP, "a", "orders/create", sqlTimestamp(at));
      await sql.$executeRawUnsafe(INSERT_EVENT, newId(), SHOP, "b", "orders/create", sqlTimestamp(at));
      return sql.$queryRawUnsafe<Array<{ receivedAt: unknown }>>(READ_EVENT, SHOP, "a");
    });
    const events = await db.webhookEvent.findMany({ where: { shop: SHOP }, orderBy: { webhookId: "asc" } });
    expect(events.map((e) => [e.webhookId, e.receivedAt.toISOString()])).toEqual([
      ["a", at.toISOString()],
      ["b", at.toISOString()],
    ]);
    // Read inside the transaction: PostgreSQL gives a Date, SQLite the text Prisma writes.
    const value = readBack[0].receivedAt;
    expect(new Date(value as string | Date).toISOString()).toBe(at.toISOString());
  });

  it("rolls every statement back when the work throws, and passes the error on", async () => {
    const failure = rawSqlTransaction(async (sql) => {
      await sql.$executeRawUnsafe(INSERT_EVENT, newId(), SHOP, "kept?", "orders/create", sqlTimestamp(new Date()));
      throw new Error("handler failed halfway");
    });
    await expect(failure).rejects.toThrow("handler failed halfway");
    expect(await db.webhookEvent.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("runs the same statements many times over, on more transactions than the pool has connections", async () => {
    // Statements are prepared per connection on PostgreSQL: every connection sees each text again.
    for (let round = 0; round < 25; round++) {
      await rawSqlTransaction(async (sql) => {
        await sql.$executeRawUnsafe(INSERT_EVENT, newId(), SHOP, `r${round}`, "orders/create", sqlTimestamp(new Date()));
        const rows = await sql.$queryRawUnsafe<unknown[]>(READ_EVENT, SHOP, `r${round}`);
        expect(rows).toHaveLength(1);
      });
    }
    const concurrent = Array.from({ length: 15 }, (_, i) =>
      rawSqlTransaction((sql) => sql.$executeRawUnsafe(INSERT_EVENT, newId(), SHOP, `c${i}`, "orders/create", sqlTimestamp(new Date()))),
    );
    expect(await Promise.all(concurrent)).toEqual(Array(15).fill(1));
    expect(await db.webhookEvent.count({ where: { shop: SHOP } })).toBe(40);
  });

  it.runIf(dialect === "sqlite")(
    "on SQLite holds the write lock from its start, and one begun while another connection writes waits for it on a timer",
    async () => {
      // Another connection, as a writer thread of an import is.
      const other = new Database(databaseUrl().replace(/^file:/, ""));
      other.pragma("busy_timeout = 0");
      try {
        let otherCouldWrite = true;
        await rawSqlTransaction(async (sql) => {
          await sql.$queryRawUnsafe(READ_EVENT, SHOP, "none");
          // Only a read so far: a deferred transaction would not hold the lock yet.
          try {
            other.prepare("BEGIN IMMEDIATE").run();
            other.prepare("ROLLBACK").run();
          } catch {
            otherCouldWrite = false;
          }
          await sql.$executeRawUnsafe(INSERT_EVENT, newId(), SHOP, "first", "orders/create", sqlTimestamp(new Date()));
        });
        expect(otherCouldWrite).toBe(false);

        // The other connection writes and commits twice while the transaction waits. A deferred transaction
        // that read first would have kept its first snapshot and failed with SQLITE_BUSY_SNAPSHOT.
        other.prepare("BEGIN IMMEDIATE").run();
        let commits = 0;
        const release = () => {
          other
            .prepare(`INSERT INTO "WebhookEvent" ("id", "shop", "webhookId", "topic", "receivedAt") VALUES (?, ?, ?, ?, ?)`)
            .run(newId(), SHOP, `other-${commits}`, "orders/create", sqlTimestamp(new Date()));
          other.prepare("COMMIT").run();
          if (++commits < 2) {
            other.prepare("BEGIN IMMEDIATE").run();
            setTimeout(release, 30);
          }
        };
        setTimeout(release, 30);
        const seen = await rawSqlTransaction(async (sql) => {
          const rows = await sql.$queryRawUnsafe<unknown[]>(`SELECT "id" FROM "WebhookEvent" WHERE "shop" = ${placeholder(1)}`, SHOP);
          await sql.$executeRawUnsafe(INSERT_EVENT, newId(), SHOP, "second", "orders/create", sqlTimestamp(new Date()));
          return rows.length;
        });
        expect(commits).toBe(2);
        expect(seen).toBe(3);
        expect(await db.webhookEvent.count({ where: { shop: SHOP } })).toBe(4);
      } finally {
        if (other.inTransaction) other.prepare("ROLLBACK").run();
        other.close();
      }
    },
  );
});
