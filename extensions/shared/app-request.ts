/**
 * One call from an extension to Kinship's backend: a fresh session token as Bearer, JSON in and out, and
 * a time limit. Never throws: network, token, timeout or parse trouble all come back as null, which every
 * extension answers by degrading (the survey hides, the rewards page shows its error state).
 */
export interface AppRequestDeps {
  appUrl: string;
  getToken: () => Promise<string>;
  fetch: typeof fetch;
  /** Without an answer by then, treat the backend as down. */
  timeoutMs?: number;
}

export interface AppAnswer {
  status: number;
  /** The parsed JSON body, or null when there was none or it was not JSON. */
  body: unknown;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export async function requestApp(
  path: string,
  deps: AppRequestDeps,
  init: { method: "GET" | "POST"; json?: unknown },
): Promise<AppAnswer | null> {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = controller ? setTimeout(() => controller.abort(), deps.timeoutMs ?? DEFAULT_TIMEOUT_MS) : null;
  try {
    const token = await deps.getToken();
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (init.json !== undefined) headers["Content-Type"] = "application/json";
    const response = await deps.fetch(`${deps.appUrl}${path}`, {
      method: init.method,
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      signal: controller?.signal,
    });
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    return { status: response.status, body };
  } catch {
    return null;
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
