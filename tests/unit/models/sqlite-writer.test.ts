import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteWriter } from "../../../app/models/sql/sqlite-writer.server";

// The writer thread only runs the statements it is given: stand-ins for Customer, Order and SyncRun,
// written the way the backfill writes them, are enough to check its ordering, failure and commit rules.
const SQL = {
  customer: `INSERT INTO "c" ("id") VALUES (?) ON CONFLICT DO NOTHING`,
  order: `INSERT INTO "o" ("id", "value") VALUES (?, ?)`,
  progress: `UPDATE "run" SET "cursor" = ?`,
};

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "kinship-writer-"));
  file = path.join(dir, "db.sqlite");
  const conn = new Database(file);
  conn.exec(`CREATE TABLE "c" ("id" TEXT PRIMARY KEY); CREATE TABLE "o" ("id" TEXT PRIMARY KEY, "value" REAL NOT NULL);
    CREATE TABLE "run" ("cursor" INTEGER); INSERT INTO "run" VALUES (0);`);
  conn.close();
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function read() {
  const conn = new Database(file, { readonly: true });
  try {
    return {
      orders: (conn.prepare(`SELECT "id" FROM "o" ORDER BY "id"`).all() as Array<{ id: string }>).map((r) => r.id),
      cursor: (conn.prepare(`SELECT "cursor" FROM "run"`).get() as { cursor: number }).cursor,
    };
  } finally {
    conn.close();
  }
}

const batch = (cursor: number, ...orders: Array<[string, number | null]>) => [
  { sql: SQL.customer, rows: [["c1"]] },
  { sql: SQL.order, rows: orders },
  { sql: SQL.progress, rows: [[cursor]] },
];

describe("SqliteWriter", () => {
  it("commits queued batches in order, each with its cursor", async () => {
    const writer = new SqliteWriter(file);
    try {
      await Promise.all([writer.write(batch(2, ["a", 1], ["b", 2])), writer.write(batch(3, ["c", 3]))]);
      await writer.write([{ sql: `UPDATE "o" SET "value" = "value" * 10 WHERE "id" = ?`, rows: [["a"]] }], { commit: true });
      expect(read()).toEqual({ orders: ["a", "b", "c"], cursor: 3 }); // committed before close
    } finally {
      await writer.close();
    }
    expect(read()).toEqual({ orders: ["a", "b", "c"], cursor: 3 });
  });

  it("rolls a failed batch back and commits none of the batches queued after it", async () => {
    const writer = new SqliteWriter(file);
    try {
      const first = writer.write(batch(1, ["a", 1]));
      const failing = writer.write(batch(2, ["b", 2], ["x", null])); // NOT NULL violation on the second row
      const after = writer.write(batch(3, ["c", 3]));
      await first;
      await expect(failing).rejects.toThrow(/NOT NULL/);
      await expect(after).rejects.toThrow(/earlier batch failed/);
    } finally {
      await writer.close();
    }
    // The cursor still points after batch 1: a resume re-reads batch 2's lines.
    expect(read()).toEqual({ orders: ["a"], cursor: 1 });
  });

  it("commits in groups: a failure rolls back only the open group, and close commits what is written", async () => {
    const grouped = new SqliteWriter(file, { batchesPerCommit: 2 });
    try {
      await grouped.write(batch(1, ["a", 1]));
      await grouped.write(batch(2, ["b", 2])); // commits batches 1 and 2
      await grouped.write(batch(3, ["c", 3]));
      expect(read()).toEqual({ orders: ["a", "b"], cursor: 2 }); // batch 3 is written, not committed
      await expect(grouped.write(batch(4, ["d", null]))).rejects.toThrow(/NOT NULL/);
    } finally {
      await grouped.close();
    }
    expect(read()).toEqual({ orders: ["a", "b"], cursor: 2 });

    const again = new SqliteWriter(file, { batchesPerCommit: 10 });
    await again.write(batch(3, ["c", 3]));
    await again.close();
    expect(read()).toEqual({ orders: ["a", "b", "c"], cursor: 3 });
  });

  it("runs afterWrite inside the transaction: a throw there rolls the batch back with that error", async () => {
    const writer = new SqliteWriter(file);
    const crash = new Error("simulated crash");
    let ordersSeenInside: string[] = [];
    try {
      await writer.write(batch(1, ["a", 1]));
      await expect(
        writer.write(batch(2, ["b", 2]), {
          afterWrite: () => {
            ordersSeenInside = read().orders; // another connection: the batch is written but not committed
            throw crash;
          },
        }),
      ).rejects.toBe(crash);
    } finally {
      await writer.close();
    }
    expect(ordersSeenInside).toEqual(["a"]);
    expect(read()).toEqual({ orders: ["a"], cursor: 1 });
  });

  it("runs read-only steps outside a transaction: they need no write lock, and the open group commits first", async () => {
    const writer = new SqliteWriter(file);
    const other = new Database(file);
    try {
      await writer.write(batch(1, ["a", 1]));
      // Committed by the read-only message before it runs, so another connection can take the lock.
      await writer.write([{ sql: `CREATE TEMP TABLE "t" AS SELECT "id" FROM "o"`, rows: [[]] }], { outsideTransaction: true });
      expect(read()).toEqual({ orders: ["a"], cursor: 1 });
      other.exec("BEGIN IMMEDIATE");
      // While the other connection holds the write lock: a write would wait for it, a read does not.
      await writer.write([{ sql: `CREATE TEMP TABLE "u" AS SELECT "id" FROM "o"`, rows: [[]] }], { outsideTransaction: true });
      other.exec("ROLLBACK");
      await writer.write([{ sql: `INSERT INTO "o" ("id", "value") SELECT "id" || '2', 2 FROM temp."u"`, rows: [[]] }], { commit: true });
    } finally {
      if (other.inTransaction) other.exec("ROLLBACK");
      other.close();
      await writer.close();
    }
    expect(read().orders).toEqual(["a", "a2"]);
  });

  it("reports a database it cannot open instead of hanging", async () => {
    const writer = new SqliteWriter(path.join(dir, "missing", "db.sqlite"));
    await expect(writer.write(batch(1, ["a", 1]))).rejects.toThrow();
    await writer.close();
  });
});
