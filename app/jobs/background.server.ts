/**
 * Work that must not hold up a webhook response (Shopify wants an answer within 5 s). It runs in
 * this process after the response; its durable state (SyncRun, JobRun) lets the scheduler's polling
 * finish it if the process dies first. Tests await `settled()`.
 */
const pending = new Set<Promise<unknown>>();

export function runInBackground(name: string, work: () => Promise<unknown>): void {
  const promise = work()
    .catch((error: unknown) => console.error(`Background job ${name} failed`, error))
    .finally(() => pending.delete(promise));
  pending.add(promise);
}

/** Coalesced work waiting for its delay: how to start it now. */
const waiting = new Map<string, () => void>();
/** The latest started run of each coalesced key (the next one starts after it: one at a time per key). */
const latest = new Map<string, Promise<unknown>>();

/**
 * Runs `work` in the background `delayMs` after the first call for `key`; calls meanwhile join that run,
 * and a call while it runs asks for one more after it. So a burst of changes costs one run, a steady stream
 * at most one per `delayMs`, and runs of one key never overlap. `settled()` starts waiting runs at once.
 */
export function runCoalesced(key: string, delayMs: number, work: () => Promise<unknown>): void {
  if (waiting.has(key)) return;
  const start = () => {
    clearTimeout(timer);
    if (waiting.get(key) !== start) return;
    waiting.delete(key);
    const before = latest.get(key);
    const run = (async () => {
      if (before) await before;
      await work();
    })();
    const tracked = run.catch(() => undefined);
    latest.set(key, tracked);
    void tracked.finally(() => {
      if (latest.get(key) === tracked) latest.delete(key);
    });
    runInBackground(key, () => run);
  };
  const timer = setTimeout(start, delayMs);
  timer.unref?.();
  waiting.set(key, start);
}

/** Tests: drops coalesced work still waiting (its rows are about to be deleted; a dropped timer finds itself gone and does nothing). */
export function forgetCoalesced(): void {
  waiting.clear();
}

/** Whether a coalesced run of `key` is waiting or under way. */
export function coalescedPending(key: string): boolean {
  return waiting.has(key) || latest.has(key);
}

/** Resolves once every background job started so far (and any they start) has finished; coalesced work waits no longer. */
export async function settled(): Promise<void> {
  while (pending.size || waiting.size) {
    for (const start of [...waiting.values()]) start();
    await Promise.allSettled([...pending]);
  }
}
