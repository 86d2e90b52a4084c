import { describe, expect, it } from "vitest";
import { acquireWriteGate, createConnectionGate, releaseWriteGate, releaseWriteGateHeldBy } from "../../../app/models/sqlite-write-gate.server";

describe("the SQLite write gate", () => {
  it("serves waiters in the order they asked, one at a time", async () => {
    const order: string[] = [];
    await acquireWriteGate();
    const waiters = ["b", "c", "d"].map((name) =>
      acquireWriteGate().then(() => {
        order.push(name);
        releaseWriteGate();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    releaseWriteGate();
    await Promise.all(waiters);
    expect(order).toEqual(["b", "c", "d"]);
  });

  it("a writer thread that exits after releasing does not skip the next in line", async () => {
    await acquireWriteGate();
    releaseWriteGate();
    const next = acquireWriteGate();
    releaseWriteGateHeldBy(7);
    await next;
    const after = acquireWriteGate().then(() => "served");
    releaseWriteGate();
    expect(await after).toBe("served");
    releaseWriteGate();
  });

  it("a connection's statements inside its own open transaction do not wait for themselves", async () => {
    const connection = createConnectionGate();
    await connection.enter();
    await connection.enter();
    connection.leave();
    const other = acquireWriteGate().then(() => "other");
    connection.leave();
    expect(await other).toBe("other");
    releaseWriteGate();
  });
});
