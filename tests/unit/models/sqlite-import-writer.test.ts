import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteImportWriter } from "../../../app/models/sqlite-import-writer.server";

// The writer thread only runs the statements it is given: a two-table stand-in for Customer, Order
// and SyncRun is enough to check its ordering, failure and commit rules.
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

const batch = (cursor: number, ...orders: Array<[string, number | null]>) => ({ customers: [["c1"]], orders, progress: [cursor] });

describe("SqliteImportWriter", () => {
  it("commits queued batches in order, each with its cursor", async () => {
    const writer = new SqliteImportWriter(file, SQL);
    try {
      await Promise.all([writer.write(batch(2, ["a", 1], ["b", 2])), writer.write(batch(3, ["c", 3]))]);
      await writer.run([{ sql: `UPDATE "o" SET "value" = "value" * 10 WHERE "id" = ?`, params: ["a"] }]);
    } finally {
      await writer.close();
    }
    expect(read()).toEqual({ orders: ["a", "b", "c"], cursor: 3 });
  });

  it("rolls a failed batch back and commits none of the batches queued after it", async () => {
    const writer = new SqliteImportWriter(file, SQL);
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
    const grouped = new SqliteImportWriter(file, SQL, { batchesPerCommit: 2 });
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

    const again = new SqliteImportWriter(file, SQL, { batchesPerCommit: 10 });
    await again.write(batch(3, ["c", 3]));
    await again.close();
    expect(read()).toEqual({ orders: ["a", "b", "c"], cursor: 3 });
  });

  it("runs afterWrite inside the transaction: a throw there rolls the batch back with that error", async () => {
    const writer = new SqliteImportWriter(file, SQL);
    const crash = new Error("simulated crash");
    let ordersSeenInside: string[] = [];
    try {
      await writer.write(batch(1, ["a", 1]));
      await expect(
        writer.write(batch(2, ["b", 2]), () => {
          ordersSeenInside = read().orders; // another connection: the batch is written but not committed
          throw crash;
        }),
      ).rejects.toBe(crash);
    } finally {
      await writer.close();
    }
    expect(ordersSeenInside).toEqual(["a"]);
    expect(read()).toEqual({ orders: ["a"], cursor: 1 });
  });

  it("reports a database it cannot open instead of hanging", async () => {
    const writer = new SqliteImportWriter(path.join(dir, "missing", "db.sqlite"), SQL);
    await expect(writer.write(batch(1, ["a", 1]))).rejects.toThrow();
    await writer.close();
  });
});
