import { describe, expect, it } from "vitest";
import { coalescedPending, runCoalesced, settled } from "../../../app/jobs/background.server";

// The dashboard figures' refresh after webhooks (issue 23): a burst of changes costs one run, a change while it
// runs asks for one more after it, runs of one key never overlap, and settled() does not wait out the delay.
describe("runCoalesced", () => {
  it("joins calls made while a run waits, queues one after a running one, and never overlaps runs of a key", async () => {
    const log: string[] = [];
    let running = 0;
    let overlapped = false;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const work = async () => {
      runs += 1;
      const n = runs;
      running += 1;
      if (running > 1) overlapped = true;
      log.push(`start ${n}`);
      if (n === 1) await held;
      running -= 1;
      log.push(`end ${n}`);
    };
    // An hour's delay: only settled() can start these.
    for (let i = 0; i < 5; i++) runCoalesced("k", 3_600_000, work);
    expect(coalescedPending("k")).toBe(true);
    expect(log).toEqual([]);
    const first = settled();
    await Promise.resolve();
    expect(log).toEqual(["start 1"]);
    // Changes while the first run is under way: one more run, after it.
    runCoalesced("k", 3_600_000, work);
    runCoalesced("k", 3_600_000, work);
    release();
    await first;
    await settled();
    expect(log).toEqual(["start 1", "end 1", "start 2", "end 2"]);
    expect(overlapped).toBe(false);
    expect(coalescedPending("k")).toBe(false);
  });
});
