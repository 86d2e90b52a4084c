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

/**
 * Streams a JSONL file from a URL without holding it in memory: the response body is decoded in
 * chunks, and the complete lines of each chunk are parsed and yielded together. One yield per chunk
 * rather than per line: an async-generator step per line cost more than parsing the line.
 */
export async function* streamJsonl<T = unknown>(url: string, fetchImpl: typeof fetch = fetch): AsyncGenerator<JsonlLine<T>[]> {
  const response = await fetchImpl(url);
  if (!response.ok || !response.body) {
    const detail = await response.text().catch(() => "");
    throw new JsonlDownloadError(response.status, url, detail.slice(0, 2_000));
  }
  yield* parseJsonlStream<T>(response.body);
}

export async function* parseJsonlStream<T = unknown>(body: ReadableStream<Uint8Array>): AsyncGenerator<JsonlLine<T>[]> {
  const decoder = new TextDecoder();
  let buffered = "";
  let lineNumber = 0;
  const parse = (line: string) => {
    try {
      return JSON.parse(line) as T;
    } catch (error) {
      throw new JsonlLineError(lineNumber, (error as Error).message);
    }
  };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    // Walk the buffer with an index and cut it once per chunk (slicing per line is quadratic).
    const lines: JsonlLine<T>[] = [];
    let start = 0;
    let newline: number;
    while ((newline = buffered.indexOf("\n", start)) >= 0) {
      const line = buffered.slice(start, newline).trim();
      start = newline + 1;
      lineNumber += 1;
      if (line) lines.push({ lineNumber, value: parse(line) });
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
