import { createReadStream } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Serves one file on a loopback port, streamed (standing in for the storage URL Shopify hands out for
 * a bulk operation's result), so the import downloads it with the app's real fetch-and-stream code
 * without the emulator's memory in the measured process.
 */
export async function serveFile(file: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/jsonl" });
    createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/result.jsonl`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
