/** A JSONL line that is not valid JSON: the sync reports it with its line number. */
export class JsonlLineError extends Error {
  constructor(
    readonly lineNumber: number,
    reason: string,
  ) {
    super(`JSONL line ${lineNumber}: ${reason}`);
    this.name = "JsonlLineError";
  }
}

export class JsonlDownloadError extends Error {
  constructor(
    readonly status: number,
    url: string,
    storageError = "",
  ) {
    // The file sits in cloud storage behind a signed URL; an expired signature answers 400
    // ExpiredToken (or 403), which means "run the bulk operation again", not "retry the download".
    const code = /<Code>([^<]+)<\/Code>/.exec(storageError)?.[1];
    const expired = code === "ExpiredToken" || status === 403 || status === 410;
    super(
      expired
        ? `The bulk operation's file has expired or is no longer available (HTTP ${status}${code ? ` ${code}` : ""})`
        : `Downloading the bulk operation's file failed (HTTP ${status}${code ? ` ${code}` : ""}) from ${new URL(url).host}`,
    );
    this.name = "JsonlDownloadError";
  }
}

export interface JsonlLine<T> {
  /** 1-based, counting blank lines too. */
  lineNumber: number;
  value: T;
}

export interface JsonlStreamOptions {
  /**
   * Give the event loop a turn (setImmediate) once this many ms have passed without one, counting the caller's
   * own work between yields (default 10). A body whose bytes have already arrived is read in microtasks alone,
   * so without it a 1,000,000-line import parsed and built rows for 0.3–0.5 s at a time while pages and
   * webhooks waited (issue 23).
   */
  turnAfterMs?: number;
}

/** Lines per yield at most, so a large chunk is parsed in parts with a chance of a turn between them. */
const LINES_PER_YIELD = 1_000;
const DEFAULT_TURN_AFTER_MS = 10;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Streams a JSONL file from a URL without holding it in memory: the response body is decoded in
 * chunks, and the complete lines of each chunk are parsed and yielded together (at most LINES_PER_YIELD at a
 * time). One yield per group rather than per line: an async-generator step per line cost more than parsing
 * the line.
 */
export async function* streamJsonl<T = unknown>(
  url: string,
  fetchImpl: typeof fetch = fetch,
  options: JsonlStreamOptions = {},
): AsyncGenerator<JsonlLine<T>[]> {
  const response = await fetchImpl(url);
  if (!response.ok || !response.body) {
    const detail = await response.text().catch(() => "");
    throw new JsonlDownloadError(response.status, url, detail.slice(0, 2_000));
  }
  yield* parseJsonlStream<T>(response.body, options);
}

export async function* parseJsonlStream<T = unknown>(
  body: ReadableStream<Uint8Array>,
  { turnAfterMs = DEFAULT_TURN_AFTER_MS }: JsonlStreamOptions = {},
): AsyncGenerator<JsonlLine<T>[]> {
  const decoder = new TextDecoder();
  let buffered = "";
  let lineNumber = 0;
  let lastTurn = performance.now();
  const turnIfDue = async () => {
    if (performance.now() - lastTurn < turnAfterMs) return;
    await nextTurn();
    lastTurn = performance.now();
  };
  const parse = (line: string) => {
    try {
      return JSON.parse(line) as T;
    } catch (error) {
      throw new JsonlLineError(lineNumber, (error as Error).message);
    }
  };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    await turnIfDue();
    buffered += decoder.decode(chunk, { stream: true });
    // Walk the buffer with an index and cut it once per chunk (slicing per line is quadratic).
    let lines: JsonlLine<T>[] = [];
    let start = 0;
    let newline: number;
    while ((newline = buffered.indexOf("\n", start)) >= 0) {
      const line = buffered.slice(start, newline).trim();
      start = newline + 1;
      lineNumber += 1;
      if (line) lines.push({ lineNumber, value: parse(line) });
      if (lines.length >= LINES_PER_YIELD) {
        yield lines;
        lines = [];
        await turnIfDue();
      }
    }
    buffered = buffered.slice(start);
    if (lines.length) yield lines;
  }
  buffered += decoder.decode();
  if (buffered.trim()) {
    lineNumber += 1;
    yield [{ lineNumber, value: parse(buffered.trim()) }];
  }
}
