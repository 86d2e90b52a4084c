import { describe, expect, it } from "vitest";
import { JsonlLineError, parseJsonlStream } from "../../../app/shopify/jsonl.server";

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]) {
  const out: Array<{ lineNumber: number; value: unknown }> = [];
  for await (const lines of parseJsonlStream(streamOf(chunks))) out.push(...lines);
  return out;
}

describe("JSONL streaming", () => {
  it("yields each line once with its number, whatever the chunk boundaries", async () => {
    const text = '{"id":1}\n{"id":2,"s":"é✓"}\n\n{"id":3}';
    const whole = await collect([text]);
    // Split every byte apart, including inside the multi-byte characters.
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    const split: typeof whole = [];
    for await (const lines of parseJsonlStream(stream)) split.push(...lines);
    expect(whole).toEqual([
      { lineNumber: 1, value: { id: 1 } },
      { lineNumber: 2, value: { id: 2, s: "é✓" } },
      { lineNumber: 4, value: { id: 3 } },
    ]);
    expect(split).toEqual(whole);
  });

  it("names the line of a malformed object", async () => {
    const error = await collect(['{"id":1}\n', '{"id":2\n{"id":3}\n']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonlLineError);
    expect((error as JsonlLineError).lineNumber).toBe(2);
    expect((error as Error).message).toMatch(/^JSONL line 2: /);
  });
});

describe("JSONL streaming and the event loop", () => {
  // A body whose bytes have all arrived is read in microtasks alone: without a turn, nothing else the process
  // serves (a page, a webhook) would run until the whole file is parsed. Ordering, not timing.
  const lines = Array.from({ length: 5_000 }, (_, i) => `{"id":${i}}\n`);
  const chunks = Array.from({ length: 50 }, (_, i) => lines.slice(i * 100, (i + 1) * 100).join(""));

  async function linesBeforeOtherWork(options: { turnAfterMs?: number }) {
    let read = 0;
    let readWhenOtherWorkRan: number | null = null;
    setImmediate(() => (readWhenOtherWorkRan = read));
    for await (const group of parseJsonlStream(streamOf(chunks), options)) read += group.length;
    return { read, readWhenOtherWorkRan };
  }

  it("lets other work run between chunks once its time is up", async () => {
    const { read, readWhenOtherWorkRan } = await linesBeforeOtherWork({ turnAfterMs: 0 });
    expect(read).toBe(5_000);
    expect(readWhenOtherWorkRan).not.toBeNull();
    expect(readWhenOtherWorkRan!).toBeLessThan(5_000);
  });

  it("without a turn the other work waits for the whole body (what the turn is for)", async () => {
    const { read, readWhenOtherWorkRan } = await linesBeforeOtherWork({ turnAfterMs: Number.POSITIVE_INFINITY });
    // All 5,000 lines were read and the other work has still not run.
    expect(read).toBe(5_000);
    expect(readWhenOtherWorkRan).toBeNull();
  });

  it("yields a large chunk in parts, every line once and in order", async () => {
    const numbers: number[] = [];
    let groups = 0;
    for await (const group of parseJsonlStream(streamOf([lines.join("")]), { turnAfterMs: 0 })) {
      groups++;
      numbers.push(...group.map((l) => l.lineNumber));
    }
    expect(groups).toBe(5);
    expect(numbers).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
  });
});
