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
