/**
 * One SQLite writer at a time in this process, served in the order they asked.
 *
 * SQLite lets one connection write at a time; the others wait in its busy handler, which sleeps and
 * retries (up to 100 ms apart) and is not a queue. With the backfill and scoring writing on threads
 * of their own (sqlite-writer.server.ts) and Prisma writing on the main thread, five shops installing
 * at once meant six connections retrying against each other: a writer that had just committed began
 * again before a sleeping one woke, so some waited past their busy_timeout (P1008 / SQLITE_BUSY,
 * "database is locked") and better-sqlite3's synchronous wait froze the event loop meanwhile.
 *
 * Every writing connection of the process therefore takes a ticket from this gate before it starts a
 * write transaction and gives it back after COMMIT/ROLLBACK: a fair FIFO lock in shared memory, so the
 * writer threads (Atomics.wait) and the main thread (Atomics.waitAsync, without blocking the event
 * loop) use the same queue. busy_timeout remains only for other processes (the CLI, a migration).
 */
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// Int32 slots: the next ticket to hand out, the ticket being served, the holder's id (0 = main thread,
// -1 = none),
// and how many main-thread requests wait: writer threads take no new ticket meanwhile, so a request
// (a webhook, a page's save) waits for at most the tickets already taken, not for every batch to come.
const NEXT = 0;
const SERVING = 1;
const HOLDER = 2;
const MAIN_WAITING = 3;

declare global {
  // One gate per process, also across Remix development reloads of this module.
  var kinshipSqliteWriteGate: SharedArrayBuffer | undefined;
}

export const writeGateBuffer: SharedArrayBuffer = (global.kinshipSqliteWriteGate ??= new SharedArrayBuffer(16));
const gate = new Int32Array(writeGateBuffer);

/**
 * The writer thread's half of the gate, as source for its `eval`ed program (sqlite-writer.server.ts):
 * `acquireGate(id)` blocks the thread until its ticket is served, `releaseGate()` serves the next.
 */
export const WRITE_GATE_WORKER_SOURCE = `
const gate = new Int32Array(workerData.gate);
function acquireGate(id) {
  for (;;) {
    const waiting = Atomics.load(gate, ${MAIN_WAITING});
    if (waiting === 0) break;
    Atomics.wait(gate, ${MAIN_WAITING}, waiting, 50);
  }
  const ticket = Atomics.add(gate, ${NEXT}, 1);
  for (;;) {
    const serving = Atomics.load(gate, ${SERVING});
    if (serving === ticket) break;
    Atomics.wait(gate, ${SERVING}, serving, 1000);
  }
  Atomics.store(gate, ${HOLDER}, id);
}
function releaseGate() {
  Atomics.store(gate, ${HOLDER}, -1);
  Atomics.add(gate, ${SERVING}, 1);
  Atomics.notify(gate, ${SERVING});
}
`;

// Node has had Atomics.waitAsync since 16; TypeScript types it from lib es2024 on.
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** Waits (without blocking the event loop) until this ticket is served. */
async function waitForTurn(ticket: number): Promise<void> {
  for (;;) {
    const serving = Atomics.load(gate, SERVING);
    if (serving === ticket) return;
    const waited = waitAsync(gate, SERVING, serving, 1000);
    if (waited.async) await waited.value;
  }
}

export async function acquireWriteGate(): Promise<void> {
  Atomics.add(gate, MAIN_WAITING, 1);
  try {
    await waitForTurn(Atomics.add(gate, NEXT, 1));
  } finally {
    Atomics.sub(gate, MAIN_WAITING, 1);
    Atomics.notify(gate, MAIN_WAITING);
  }
  Atomics.store(gate, HOLDER, 0);
}

export function releaseWriteGate(): void {
  Atomics.store(gate, HOLDER, -1);
  Atomics.add(gate, SERVING, 1);
  Atomics.notify(gate, SERVING);
}

/**
 * After a writer thread (its id, > 0) died holding the gate, the next in line is served. A holder
 * marks the gate free (-1) before serving the next ticket, so a thread that exits normally matches nothing.
 */
export function releaseWriteGateHeldBy(holderId: number): void {
  if (Atomics.compareExchange(gate, HOLDER, holderId, -1) === holderId) {
    Atomics.add(gate, SERVING, 1);
    Atomics.notify(gate, SERVING);
  }
}

/**
 * A gate holder for one Prisma connection on the main thread: re-entrant, because the adapter runs a
 * statement issued outside an open transaction on the same connection (inside it) — waiting for the
 * gate there would wait on ourselves.
 */
export function createConnectionGate() {
  let holds = 0;
  let acquiring: Promise<void> = Promise.resolve();
  return {
    async enter(): Promise<void> {
      holds += 1;
      if (holds === 1) acquiring = acquireWriteGate();
      await acquiring;
    },
    leave(): void {
      if (holds === 0) return;
      holds -= 1;
      if (holds === 0) releaseWriteGate();
    },
  };
}

type SqliteAdapterFactory = PrismaBetterSQLite3;
type SqliteAdapter = Awaited<ReturnType<SqliteAdapterFactory["connect"]>>;
type SqliteTransaction = Awaited<ReturnType<SqliteAdapter["startTransaction"]>>;
type Query = Parameters<SqliteAdapter["executeRaw"]>[0];

const isRead = (query: Query) => /^\s*select\b/i.test(query.sql);

/** Methods through the target itself: the adapter keeps its state in private fields a Proxy cannot reach. */
function passThrough<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.prototype.hasOwnProperty.call(overrides, property)) return overrides[property as keyof T];
      const value = Reflect.get(object, property, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

/**
 * Prisma's better-sqlite3 adapter with its writes behind the gate: a transaction holds it from BEGIN to
 * COMMIT/ROLLBACK, a statement outside one (anything but a SELECT) for its own run.
 */
function gateConnection(adapter: SqliteAdapter): SqliteAdapter {
  const gate = createConnectionGate();
  const gated = async <T>(work: () => Promise<T>): Promise<T> => {
    await gate.enter();
    try {
      return await work();
    } finally {
      gate.leave();
    }
  };
  return passThrough(adapter, {
    executeRaw: (query: Query) => (isRead(query) ? adapter.executeRaw(query) : gated(() => adapter.executeRaw(query))),
    queryRaw: (query: Query) => (isRead(query) ? adapter.queryRaw(query) : gated(() => adapter.queryRaw(query))),
    executeScript: (script: string) => gated(() => adapter.executeScript(script)),
    async startTransaction(isolationLevel) {
      await gate.enter();
      let transaction: SqliteTransaction;
      try {
        transaction = await adapter.startTransaction(isolationLevel);
      } catch (error) {
        gate.leave();
        throw error;
      }
      let open = true;
      const end = (finish: () => Promise<void>) => async () => {
        try {
          await finish();
        } finally {
          if (open) gate.leave();
          open = false;
        }
      };
      return passThrough(transaction, { commit: end(() => transaction.commit()), rollback: end(() => transaction.rollback()) });
    },
  });
}

export function gatedSqliteAdapter(factory: SqliteAdapterFactory): SqliteAdapterFactory {
  return passThrough(factory, {
    connect: async () => gateConnection(await factory.connect()),
    connectToShadowDb: async () => gateConnection(await factory.connectToShadowDb()),
  });
}
