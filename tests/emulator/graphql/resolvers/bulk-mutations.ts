/**
 * Staged uploads and `bulkOperationRunMutation` (bulk/staged-uploads.ts, bulk/mutation-runner.ts). Registered on
 * the Mutation root here so the shared root resolver list stays as it was.
 */
import { GraphQLError } from "graphql";
import { compileBulkMutation, parseVariablesFile } from "../../bulk/mutation-runner";
import { STAGED_UPLOAD_PATH } from "../../bulk/staged-uploads";
import type { RequestContext } from "../context";
import { defineResolvers, NOT_IMPLEMENTED, type Args } from "../registry";

export function stagedUploadsCreate(ctx: RequestContext, args: Args) {
  const inputs = (args.input as Array<Record<string, unknown>> | undefined) ?? [];
  const targets = inputs.map((input) => {
    if (input.resource !== "BULK_MUTATION_VARIABLES") {
      throw new GraphQLError(`The Kinship emulator stages only BULK_MUTATION_VARIABLES, not ${String(input.resource)}.`, {
        extensions: { code: NOT_IMPLEMENTED },
      });
    }
    const store = ctx.shop.bulk.stagedUploads;
    const file = store.create(ctx.shop, String(input.mimeType ?? "text/jsonl"), ctx.now);
    const policy = store.policyFor(file.key, file.expiresAt);
    const date = new Date(ctx.now)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    return {
      url: `${ctx.services.url}${STAGED_UPLOAD_PATH}`,
      resourceUrl: null,
      parameters: [
        { name: "Content-Type", value: String(input.mimeType ?? "text/jsonl") },
        { name: "success_action_status", value: "201" },
        { name: "acl", value: "private" },
        { name: "key", value: file.key },
        { name: "x-goog-date", value: date },
        { name: "x-goog-credential", value: `emulator/${date.slice(0, 8)}/auto/storage/goog4_request` },
        { name: "x-goog-algorithm", value: "GOOG4-RSA-SHA256" },
        { name: "x-goog-signature", value: store.signature(policy) },
        { name: "policy", value: policy },
      ],
    };
  });
  return { stagedTargets: targets, userErrors: [] };
}

export function bulkOperationRunMutation(ctx: RequestContext, args: Args) {
  const fail = (error: { field: string[] | null; message: string; code: string }) => ({ bulkOperation: null, userErrors: [error] });
  const refusal = ctx.shop.bulk.refusal("MUTATION");
  if (refusal) return fail(refusal);
  const staged = ctx.shop.bulk.stagedUploads.get(String(args.stagedUploadPath ?? ""));
  if (!staged?.body) {
    return fail({
      field: ["stagedUploadPath"],
      message: "The JSONL file could not be found. Try uploading the file again.",
      code: "NO_SUCH_FILE",
    });
  }
  const compiled = compileBulkMutation(ctx.services.schema, String(args.mutation ?? ""));
  if ("code" in compiled) return fail(compiled);
  const parsed = parseVariablesFile(staged.body);
  if ("code" in parsed) return fail(parsed);
  ctx.shop.bulk.stagedUploads.forget(staged.key);
  return {
    bulkOperation: ctx.services.startBulkMutation(ctx.shop, ctx.token, String(args.mutation), compiled, parsed.lines),
    userErrors: [],
  };
}

const root =
  <T>(fn: (ctx: RequestContext, args: Args) => T) =>
  (_source: unknown, args: Args, ctx: RequestContext) =>
    fn(ctx, args);

defineResolvers<unknown>("Mutation", {
  stagedUploadsCreate: root(stagedUploadsCreate),
  bulkOperationRunMutation: root(bulkOperationRunMutation),
});
