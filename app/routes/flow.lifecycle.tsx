import type { ActionFunctionArgs } from "@remix-run/node";
import { env } from "../env.server";
import { applyFlowLifecycleNotice } from "../models/flow-usage.server";
import { FLOW_HMAC_HEADER, flowLifecycleSchema, isSignedByShopify } from "../shopify/flow-lifecycle.server";

const text = (status: number, message: string) =>
  new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

// Flow's trigger lifecycle callback (declared in extensions/kinship-flow-trigger/shopify.extension.toml).
// A bad signature is refused before the body is read as JSON, and nothing is written. Flow keeps a
// merchant from enabling a workflow unless this answers 2xx promptly, so a valid callback is stored at once.
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return text(405, "Only POST");
  const raw = await request.text();
  if (!isSignedByShopify(raw, request.headers.get(FLOW_HMAC_HEADER), env.SHOPIFY_API_SECRET)) return text(401, "Invalid HMAC");
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return text(400, "The body is not JSON");
  }
  const parsed = flowLifecycleSchema.safeParse(body);
  if (!parsed.success)
    return text(400, `Not a Flow lifecycle callback: ${parsed.error.issues.map((i) => i.path.join(".") || "body").join(", ")}`);
  const p = parsed.data;
  const applied = await applyFlowLifecycleNotice(p.shopify_domain, {
    flowTriggerDefinitionId: p.flow_trigger_definition_id,
    hasEnabledFlow: p.has_enabled_flow,
    timestamp: new Date(p.timestamp),
  });
  return new Response(JSON.stringify({ ok: true, applied }), { status: 200, headers: { "Content-Type": "application/json" } });
};

export const loader = () => text(405, "Only POST");
