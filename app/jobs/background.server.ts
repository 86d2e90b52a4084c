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

/** Resolves once every background job started so far (and any they start) has finished. */
export async function settled(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}
