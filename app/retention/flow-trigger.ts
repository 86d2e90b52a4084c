/**
 * Kinship's Shopify Flow triggers, as data: each trigger's field list is the single source for both the
 * payloads the app sends (`flowTriggerReceive`) and the trigger extension's TOML, so the two cannot drift.
 *
 * Field types are Flow's (https://shopify.dev/docs/apps/build/flow/triggers/reference): reference fields
 * (`customer_reference`, `order_reference`) whose payload keys Flow fixes as `customer_id` / `order_id`
 * with the numeric id, and custom fields (`single_line_text_field`, `number_decimal`, `url`) keyed in
 * camelCase (they become Liquid variable names in Flow). Flow refuses payloads over 50,000 bytes.
 */

export type FlowFieldType = "customer_reference" | "order_reference" | "single_line_text_field" | "number_decimal" | "url";

export interface FlowTriggerField {
  /** Key in the payload (fixed by Flow for reference fields). */
  key: string;
  type: FlowFieldType;
  description: string;
}

export interface FlowTriggerDefinition {
  handle: string;
  name: string;
  description: string;
  fields: readonly FlowTriggerField[];
}

/** Flow's limit on a trigger payload (its "Properties size exceeds the limit of 50000 bytes" refusal). */
export const FLOW_PAYLOAD_MAX_BYTES = 50_000;

const isReference = (type: FlowFieldType) => type === "customer_reference" || type === "order_reference";
const expectsNumber = (type: FlowFieldType) => isReference(type) || type === "number_decimal";

/** Problems with a payload against a trigger's declared fields (empty when it matches). */
export function triggerPayloadProblems(trigger: FlowTriggerDefinition, payload: unknown): string[] {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return ["payload is not an object"];
  const record = payload as Record<string, unknown>;
  const declared = new Map(trigger.fields.map((f) => [f.key, f]));
  const problems: string[] = [];
  for (const key of Object.keys(record)) {
    if (!declared.has(key)) problems.push(`${key}: not declared in the trigger`);
  }
  for (const field of trigger.fields) {
    const value = record[field.key];
    if (value === undefined || value === null) problems.push(`${field.key}: missing`);
    else if (isReference(field.type) ? !Number.isSafeInteger(value) || (value as number) <= 0 : false) {
      problems.push(`${field.key}: expected integer`);
    } else if (field.type === "number_decimal" && (typeof value !== "number" || !Number.isFinite(value))) {
      problems.push(`${field.key}: expected number`);
    } else if (!expectsNumber(field.type) && (typeof value !== "string" || value === "")) {
      problems.push(`${field.key}: expected string`);
    } else if (field.type === "url" && !/^https:\/\//.test(value as string)) {
      problems.push(`${field.key}: expected an https URL`);
    }
  }
  if (new TextEncoder().encode(JSON.stringify(record)).length > FLOW_PAYLOAD_MAX_BYTES) {
    problems.push(`payload: over ${FLOW_PAYLOAD_MAX_BYTES} bytes`);
  }
  return problems;
}

/** The `[[extensions]]` block of a trigger's `shopify.extension.toml`. */
export function renderTriggerTomlLines(trigger: FlowTriggerDefinition): string[] {
  const lines = [
    "[[extensions]]",
    `name = ${JSON.stringify(trigger.name)}`,
    'type = "flow_trigger"',
    `handle = ${JSON.stringify(trigger.handle)}`,
    `description = ${JSON.stringify(trigger.description)}`,
    "",
    "[settings]",
  ];
  for (const f of trigger.fields) {
    lines.push("", "[[settings.fields]]", `type = ${JSON.stringify(f.type)}`);
    if (!isReference(f.type)) lines.push(`key = ${JSON.stringify(f.key)}`, `description = ${JSON.stringify(f.description)}`);
  }
  return lines;
}

/** Numeric id from a GID ("gid://shopify/<type>/123") or a plain numeric id. */
export function legacyId(type: "Customer" | "Order", id: string): number {
  const m = new RegExp(`^(?:gid://shopify/${type}/)?(\\d+)$`).exec(id.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n)) throw new RangeError(`Not a Shopify ${type.toLowerCase()} id: ${id}`);
  return n;
}
