import { spawn } from "node:child_process";
import { once } from "node:events";

// The server, as a script for `node -e`: reads the file path from argv, prints its port.
const SERVER = `
const { createReadStream } = require("node:fs");
const server = require("node:http").createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "application/jsonl" });
  createReadStream(process.argv[1], { highWaterMark: 1 << 20 }).pipe(res);
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

/**
 * Serves one file on a loopback port, streamed (standing in for the storage URL Shopify hands out for
 * a bulk operation's result), so the import downloads it with the app's real fetch-and-stream code.
 * The server is its own process: neither its memory nor its CPU time counts as the importer's.
 */
export async function serveFile(file: string): Promise<{ url: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ["-e", SERVER, file], { stdio: ["ignore", "pipe", "inherit"] });
  const [chunk] = (await Promise.race([once(child.stdout, "data"), once(child, "exit")])) as [Buffer | number];
  const port = Number(String(chunk).trim());
  if (!Number.isInteger(port) || port <= 0) throw new Error(`the file server did not start (${String(chunk)})`);
  return {
    url: `http://127.0.0.1:${port}/result.jsonl`,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill();
      await once(child, "exit");
    },
  };
}
