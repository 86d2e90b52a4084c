/**
 * One SQLite writer thread at a time in this process, served in the order they asked.
 *
 * SQLite lets one connection write at a time; the others wait in its busy handler, which sleeps and
 * retries (up to 100 ms apart) and is not a queue. With the backfill and scoring writing on threads
 * of their own (sqlite-writer.server.ts) and Prisma writing on the main thread, five shops installing
 * at once meant six connections retrying against each other: a thread that had just committed began
 * again before a sleeping one woke, so some waited past their busy_timeout (P1008 / SQLITE_BUSY,
 * "database is locked") and better-sqlite3's synchronous wait froze the event loop meanwhile.
 *
 * Writer threads therefore take a ticket from this gate (a FIFO lock in shared memory) before they
 * begin a transaction and give it back after COMMIT/ROLLBACK; after each commit they pause longer
 * than the busy handler's retry interval before the next writer begins, so the main thread's writes
 * (webhooks, saves) get in between. busy_timeout remains for the main thread and other processes.
 */

// Int32 slots: the next ticket to hand out, the ticket being served, the holder's id (-1 = none).
const NEXT = 0;
const SERVING = 1;
const HOLDER = 2;

declare global {
  // One gate per process, also across Remix development reloads of this module.
  var kinshipSqliteWriteGate: SharedArrayBuffer | undefined;
  var kinshipSqliteMainWaiting: SharedArrayBuffer | undefined;
}

export const writeGateBuffer: SharedArrayBuffer = (global.kinshipSqliteWriteGate ??= new SharedArrayBuffer(12));
const gate = new Int32Array(writeGateBuffer);

/**
 * How many main-thread statements are waiting for the lock (sqlite-main-connection.server.ts retries them
 * on a timer instead of sleeping on the event loop). A writer thread served by the gate lets them go first,
 * for up to MAIN_FIRST_MS, before it begins: a timer that fires late (the event loop was busy) would
 * otherwise miss the pause after each commit, and a webhook could wait past its budget.
 */
export const mainWaitingBuffer: SharedArrayBuffer = (global.kinshipSqliteMainWaiting ??= new SharedArrayBuffer(4));
const mainWaiting = new Int32Array(mainWaitingBuffer);
const MAIN_FIRST_MS = 500;

/** The main thread has a statement waiting for the lock (until `mainStopsWaiting`). */
export function mainStartsWaiting(): void {
  Atomics.add(mainWaiting, 0, 1);
}

export function mainStopsWaiting(): void {
  Atomics.sub(mainWaiting, 0, 1);
  Atomics.notify(mainWaiting, 0);
}

/**
 * The writer thread's half of the gate, as source for its `eval`ed program (sqlite-writer.server.ts):
 * `acquireGate(id)` blocks the thread until its ticket is served, `releaseGate()` serves the next.
 */
export const WRITE_GATE_WORKER_SOURCE = `
const gate = new Int32Array(workerData.gate);
const mainWaiting = new Int32Array(workerData.mainWaiting);
function acquireGate(id) {
  const ticket = Atomics.add(gate, ${NEXT}, 1);
  for (;;) {
    const serving = Atomics.load(gate, ${SERVING});
    if (serving === ticket) break;
    Atomics.wait(gate, ${SERVING}, serving, 1000);
  }
  Atomics.store(gate, ${HOLDER}, id);
  const mainFirstUntil = Date.now() + ${MAIN_FIRST_MS};
  for (let waiting; (waiting = Atomics.load(mainWaiting, 0)) > 0 && Date.now() < mainFirstUntil; ) {
    Atomics.wait(mainWaiting, 0, waiting, 10);
  }
}
function releaseGate() {
  Atomics.store(gate, ${HOLDER}, -1);
  Atomics.add(gate, ${SERVING}, 1);
  Atomics.notify(gate, ${SERVING});
}
`;

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
