/**
 * Staged uploads for bulk mutation variables (`stagedUploadsCreate` with resource BULK_MUTATION_VARIABLES), as
 * Shopify documents them (https://shopify.dev/docs/api/usage/bulk-operations/imports): the mutation answers a
 * storage `url` and form `parameters` (one of them `key`); the app POSTs a multipart form to `url` with those
 * parameters first and the file last; the `key` is then the `stagedUploadPath` of `bulkOperationRunMutation`.
 * Storage answers 201 with an XML body (`success_action_status: 201`), EntityTooLarge above the size cap, and
 * AccessDenied for a form whose policy signature does not match.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Largest variables file. Shopify's import guide gives 100 MB (a 2022 community answer from Shopify staff said
 * 20 MB at the time; the guide was raised since). Kinship's files stay far below either: ~20 MB for 100,000 lines.
 */
export const STAGED_UPLOAD_MAX_BYTES = 100 * 1024 * 1024;
/** Signed upload forms stay valid for a day in Shopify's answers (`policy` expiration); kept the same here. */
const UPLOAD_TTL_MS = 86_400_000;
export const STAGED_UPLOAD_PATH = "/_emulator/staged-uploads";

export interface StagedFile {
  key: string;
  shop: string;
  mimeType: string;
  expiresAt: number;
  body: Buffer | null;
}

/** One shop's staged files. */
export class StagedUploadStore {
  private readonly files = new Map<string, StagedFile>();
  private readonly secret = randomBytes(16);

  policyFor(key: string, expiresAt: number): string {
    return Buffer.from(JSON.stringify({ expiration: new Date(expiresAt).toISOString(), conditions: [{ key }] })).toString("base64");
  }

  signature(policy: string): string {
    return createHmac("sha256", this.secret).update(policy).digest("hex");
  }

  create(shop: { domain: string; shopId: number }, mimeType: string, now: number): StagedFile {
    const key = `tmp/${shop.shopId}/bulk/${randomUUID()}/bulk_op_vars`;
    const file: StagedFile = { key, shop: shop.domain, mimeType, expiresAt: now + UPLOAD_TTL_MS, body: null };
    this.files.set(key, file);
    return file;
  }

  get(key: string): StagedFile | undefined {
    return this.files.get(key);
  }

  /** Drops a file's body once an operation has read it (Shopify reads it once). */
  forget(key: string): void {
    this.files.delete(key);
  }
}

function storageXml(res: ServerResponse, status: number, inner: string): void {
  const xml = `<?xml version='1.0' encoding='UTF-8'?>${inner}`;
  res.writeHead(status, { "content-type": "application/xml; charset=UTF-8", "content-length": Buffer.byteLength(xml) });
  res.end(xml);
}

const storageError = (res: ServerResponse, status: number, code: string, message: string) =>
  storageXml(res, status, `<Error><Code>${code}</Code><Message>${message}</Message></Error>`);

/**
 * The storage endpoint: `POST /_emulator/staged-uploads` with a multipart form. `findStore` returns the store of
 * the shop the key belongs to. Returns true when it handled the request.
 */
export async function handleStagedUpload(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  findStore: (key: string) => StagedUploadStore | undefined,
  now: number,
): Promise<boolean> {
  if (url.pathname !== STAGED_UPLOAD_PATH || req.method !== "POST") return false;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // The form's other fields are small: anything much above the cap is the file being too large.
    if (size > STAGED_UPLOAD_MAX_BYTES + 64 * 1024) {
      storageError(res, 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
      req.resume();
      return true;
    }
    chunks.push(chunk as Buffer);
  }
  let form: FormData;
  try {
    form = await new Request("http://storage.local/", {
      method: "POST",
      headers: { "content-type": String(req.headers["content-type"] ?? "") },
      body: Buffer.concat(chunks),
    }).formData();
  } catch {
    storageError(res, 400, "InvalidArgument", "The request body is not a multipart form.");
    return true;
  }
  const key = form.get("key");
  const policy = form.get("policy");
  const signature = form.get("x-goog-signature");
  const file = form.get("file");
  const store = typeof key === "string" ? findStore(key) : undefined;
  const staged = typeof key === "string" ? store?.get(key) : undefined;
  if (!store || !staged || typeof policy !== "string" || typeof signature !== "string") {
    storageError(res, 403, "AccessDenied", "Invalid argument: the upload form is missing its signed fields or names an unknown key.");
    return true;
  }
  const expected = Buffer.from(store.signature(policy), "hex");
  const given = Buffer.from(signature, "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given) || policy !== store.policyFor(staged.key, staged.expiresAt)) {
    storageError(res, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
    return true;
  }
  if (now >= staged.expiresAt) {
    storageError(res, 400, "ExpiredToken", "The provided token has expired.");
    return true;
  }
  if (!(file instanceof Blob)) {
    storageError(res, 400, "InvalidArgument", "The form has no file field (it must come last).");
    return true;
  }
  const body = Buffer.from(await file.arrayBuffer());
  if (body.length > STAGED_UPLOAD_MAX_BYTES) {
    storageError(res, 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    return true;
  }
  staged.body = body;
  storageXml(res, 201, `<PostResponse><Key>${staged.key}</Key></PostResponse>`);
  return true;
}
