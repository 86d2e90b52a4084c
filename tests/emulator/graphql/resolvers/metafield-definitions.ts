/**
 * Metafield definitions created, updated and deleted through the API, and what a definition's validation
 * options mean for the values metafieldsSet accepts. Behaviour from Shopify's 2026-04 reference
 * (metafieldDefinitionCreate/Update/Delete and their error-code enums) and the guides "Manage metafield
 * definitions" and "List of validation options":
 * - a definition is identified by owner type, namespace and key; a second one is TAKEN;
 * - the namespace defaults to the app-reserved one; namespaces of Shopify (`shopify--`) and of other apps
 *   (`app--<other id>`) are reserved;
 * - validation options depend on the type (`choices` for single-line text, `min`/`max` for numbers and
 *   dates, `min`/`max`/`regex` lengths for text); an unknown option is INVALID_OPTION, a repeated one
 *   DUPLICATE_OPTION; `choices` is a JSON list of strings;
 * - `analyticsQueryable` is offered for product, variant, order and customer definitions (changelog
 *   "New analyticsQueryable capability for Metafield Definitions", 2026-04);
 * - deleting a definition in the app's reserved namespace needs `deleteAllAssociatedMetafields: true`;
 *   otherwise its metafields stay, without a definition (Shopify deletes them asynchronously; here at once);
 * - metafieldsSet checks a value against its definition's validations (INVALID_VALUE).
 */
import { gid, parseGid } from "../../ids";
import type { MetafieldDefinitionRecord } from "../../store/metafields";
import type { RequestContext } from "../context";
import { requireScope } from "../errors";
import { defineResolvers, type Args } from "../registry";
import type { MetafieldFilterType, SegmentQueryOptions } from "../segment-query";
import { appNamespace, resolveNamespace } from "./common";

interface DefinitionUserError {
  field: string[] | null;
  message: string;
  code: string;
}

const KNOWN_TYPES = new Set([
  "single_line_text_field",
  "multi_line_text_field",
  "number_integer",
  "number_decimal",
  "boolean",
  "date",
  "date_time",
  "json",
  "url",
  "color",
  "rating",
  "money",
  "weight",
  "volume",
  "dimension",
  "list.single_line_text_field",
  "list.number_integer",
  "list.number_decimal",
  "list.date",
]);

/** Which validation options each type takes (Shopify's "List of validation options"). */
const OPTIONS_BY_TYPE: Record<string, readonly string[]> = {
  single_line_text_field: ["min", "max", "regex", "choices"],
  multi_line_text_field: ["min", "max", "regex"],
  number_integer: ["min", "max"],
  number_decimal: ["min", "max", "max_precision"],
  date: ["min", "max"],
  date_time: ["min", "max"],
  "list.single_line_text_field": ["min", "max", "regex", "choices", "list.min", "list.max"],
  "list.number_integer": ["min", "max", "list.min", "list.max"],
  "list.number_decimal": ["min", "max", "max_precision", "list.min", "list.max"],
};

const ANALYTICS_OWNER_TYPES = new Set(["PRODUCT", "PRODUCTVARIANT", "ORDER", "CUSTOMER"]);
const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

const mapKey = (ownerType: string, namespace: string, key: string) => `${ownerType}:${namespace}.${key}`;

function scopeFor(ctx: RequestContext, ownerType: string, field: string) {
  if (ownerType === "CUSTOMER") requireScope(ctx, "write_customers", field);
  if (ownerType === "ORDER") requireScope(ctx, "write_orders", field);
}

function parseChoices(value: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((c) => typeof c === "string" && c !== "") ? parsed : null;
  } catch {
    return null;
  }
}

function validationErrors(type: string, validations: unknown, path: string[]): DefinitionUserError[] {
  if (validations === undefined || validations === null) return [];
  const list = validations as { name?: unknown; value?: unknown }[];
  const allowed = OPTIONS_BY_TYPE[type] ?? [];
  const errors: DefinitionUserError[] = [];
  const seen = new Set<string>();
  list.forEach((v, index) => {
    const name = String(v.name);
    const value = String(v.value ?? "");
    const field = [...path, "validations", String(index)];
    if (seen.has(name)) errors.push({ field, message: `Validations contains a duplicate option: ${name}.`, code: "DUPLICATE_OPTION" });
    seen.add(name);
    if (!allowed.includes(name)) {
      errors.push({ field, message: `Validations has an invalid option: '${name}' for type ${type}.`, code: "INVALID_OPTION" });
      return;
    }
    if (name === "choices" && !parseChoices(value))
      errors.push({ field, message: "Validations choices must be a list of text values.", code: "INVALID_OPTION" });
    if ((name === "min" || name === "max") && type.includes("number") && !Number.isFinite(Number(value)))
      errors.push({ field, message: `Validations ${name} must be a number.`, code: "INVALID_OPTION" });
  });
  return errors;
}

function storedValidations(validations: unknown): { name: string; value: string }[] {
  return ((validations as { name: unknown; value: unknown }[] | null | undefined) ?? []).map((v) => ({
    name: String(v.name),
    value: String(v.value ?? ""),
  }));
}

function analyticsQueryable(args: Record<string, unknown>): boolean | undefined {
  const capabilities = args.capabilities as { analyticsQueryable?: { enabled?: unknown } } | null | undefined;
  const enabled = capabilities?.analyticsQueryable?.enabled;
  return typeof enabled === "boolean" ? enabled : undefined;
}

export function metafieldDefinitionCreate(ctx: RequestContext, args: Args) {
  const input = args.definition as Record<string, unknown>;
  const ownerType = String(input.ownerType);
  scopeFor(ctx, ownerType, "metafieldDefinitionCreate");
  const rawNamespace = typeof input.namespace === "string" ? input.namespace : null;
  const namespace = resolveNamespace(ctx, rawNamespace);
  const key = String(input.key ?? "");
  const name = String(input.name ?? "").trim();
  const type = String(input.type ?? "");
  const errors: DefinitionUserError[] = [];
  const fail = (field: string, message: string, code: string) => errors.push({ field: ["definition", field], message, code });
  const appOwned = rawNamespace === null || rawNamespace === "" || rawNamespace.startsWith("$app");
  if (!appOwned) {
    if (rawNamespace!.length < 3) fail("namespace", "Namespace is too short (minimum is 3 characters)", "TOO_SHORT");
    else if (rawNamespace!.length > 255) fail("namespace", "Namespace is too long (maximum is 255 characters)", "TOO_LONG");
    else if (!NAME_PATTERN.test(rawNamespace!))
      fail("namespace", "Namespace contains one or more invalid characters.", "INVALID_CHARACTER");
    else if (rawNamespace!.startsWith("shopify--") || (rawNamespace!.startsWith("app--") && !rawNamespace!.startsWith(appNamespace(ctx))))
      fail("namespace", "Namespace is reserved.", "RESERVED_NAMESPACE_KEY");
  }
  if (key.length < 2) fail("key", "Key is too short (minimum is 2 characters)", "TOO_SHORT");
  else if (key.length > 64) fail("key", "Key is too long (maximum is 64 characters)", "TOO_LONG");
  else if (!NAME_PATTERN.test(key)) fail("key", "Key contains one or more invalid characters.", "INVALID_CHARACTER");
  if (!name) fail("name", "Name can't be blank", "BLANK");
  if (!KNOWN_TYPES.has(type)) fail("type", "Type name is not included in the list", "INCLUSION");
  else errors.push(...validationErrors(type, input.validations, ["definition"]));
  const analytics = analyticsQueryable(input);
  if (analytics && !ANALYTICS_OWNER_TYPES.has(ownerType))
    fail("capabilities", "The analytics queryable capability is not available for this owner type.", "INVALID_CAPABILITY");
  if (!errors.length && ctx.shop.metafieldDefinitions.has(mapKey(ownerType, namespace, key)))
    fail("key", `Key is in use for ${ownerType.toLowerCase()} metafields on the '${namespace}' namespace.`, "TAKEN");
  if (errors.length) return { createdDefinition: null, userErrors: errors };
  const record: MetafieldDefinitionRecord = {
    id: ctx.shop.nextId(),
    ownerType,
    namespace,
    key,
    name,
    description: typeof input.description === "string" ? input.description : null,
    type,
    createdAt: ctx.now,
    pinnedPosition: input.pin ? 1 : null,
    validations: storedValidations(input.validations),
    analyticsQueryable: analytics ?? false,
  };
  ctx.shop.metafieldDefinitions.set(mapKey(ownerType, namespace, key), record);
  return { createdDefinition: record, userErrors: [] };
}

export function metafieldDefinitionUpdate(ctx: RequestContext, args: Args) {
  const input = args.definition as Record<string, unknown>;
  const ownerType = String(input.ownerType);
  scopeFor(ctx, ownerType, "metafieldDefinitionUpdate");
  const namespace = resolveNamespace(ctx, input.namespace);
  const key = String(input.key ?? "");
  const current = ctx.shop.metafieldDefinitions.get(mapKey(ownerType, namespace, key));
  if (!current) {
    return {
      updatedDefinition: null,
      validationJob: null,
      userErrors: [{ field: ["definition"], message: "Definition not found.", code: "NOT_FOUND" }],
    };
  }
  const errors = validationErrors(current.type, input.validations, ["definition"]);
  if (typeof input.name === "string" && !input.name.trim())
    errors.push({ field: ["definition", "name"], message: "Name can't be blank", code: "BLANK" });
  const analytics = analyticsQueryable(input);
  if (analytics && !ANALYTICS_OWNER_TYPES.has(ownerType))
    errors.push({
      field: ["definition", "capabilities"],
      message: "The analytics queryable capability is not available.",
      code: "INVALID_CAPABILITY",
    });
  if (errors.length) return { updatedDefinition: null, validationJob: null, userErrors: errors };
  const next: MetafieldDefinitionRecord = {
    ...current,
    name: typeof input.name === "string" ? input.name.trim() : current.name,
    description: typeof input.description === "string" ? input.description : current.description,
    validations: input.validations === undefined || input.validations === null ? current.validations : storedValidations(input.validations),
    analyticsQueryable: analytics ?? current.analyticsQueryable,
    pinnedPosition: input.pin === true ? (current.pinnedPosition ?? 1) : input.pin === false ? null : current.pinnedPosition,
  };
  ctx.shop.metafieldDefinitions.set(mapKey(ownerType, namespace, key), next);
  return { updatedDefinition: next, validationJob: null, userErrors: [] };
}

export function metafieldDefinitionDelete(ctx: RequestContext, args: Args) {
  const identifier = args.identifier as Record<string, unknown> | null | undefined;
  let found: [string, MetafieldDefinitionRecord] | undefined;
  if (identifier) {
    const k = mapKey(String(identifier.ownerType), resolveNamespace(ctx, identifier.namespace), String(identifier.key));
    const record = ctx.shop.metafieldDefinitions.get(k);
    if (record) found = [k, record];
  } else {
    const parsed = parseGid(args.id);
    found = [...ctx.shop.metafieldDefinitions.entries()].find(([, d]) => parsed?.type === "MetafieldDefinition" && d.id === parsed.id);
  }
  const none = { deletedDefinition: null, deletedDefinitionId: null };
  if (!found) return { ...none, userErrors: [{ field: ["id"], message: "Definition not found.", code: "NOT_FOUND" }] };
  const [k, definition] = found;
  scopeFor(ctx, definition.ownerType, "metafieldDefinitionDelete");
  const deleteValues = args.deleteAllAssociatedMetafields === true;
  if (definition.namespace.startsWith(appNamespace(ctx)) && !deleteValues) {
    return {
      ...none,
      userErrors: [
        {
          field: ["deleteAllAssociatedMetafields"],
          message: "Deleting a definition in a reserved namespace requires deleting its metafields.",
          code: "RESERVED_NAMESPACE_ORPHANED_METAFIELDS",
        },
      ],
    };
  }
  ctx.shop.metafieldDefinitions.delete(k);
  if (deleteValues) {
    for (const m of ctx.shop.metafields.withKey(definition.ownerType, definition.namespace, definition.key))
      ctx.shop.metafields.delete(m.ownerId, m.namespace, m.key);
  }
  return {
    deletedDefinition: { ownerType: definition.ownerType, namespace: definition.namespace, key: definition.key },
    deletedDefinitionId: gid("MetafieldDefinition", definition.id),
    userErrors: [],
  };
}

const decimal = /^-?\d+(\.\d+)?$/;

/**
 * A value's problem under its definition's type and validations, or null. metafieldsSet reports it as
 * INVALID_VALUE on the entry.
 */
export function definitionValueProblem(definition: MetafieldDefinitionRecord | null, type: string, value: string): string | null {
  if (type === "number_decimal" && !decimal.test(value)) return "Value must be a decimal number.";
  if (type === "single_line_text_field" && /[\r\n]/.test(value)) return "Value must be a single line of text.";
  for (const v of definition?.validations ?? []) {
    if (v.name === "choices") {
      const choices = parseChoices(v.value) ?? [];
      if (!choices.includes(value)) return `Value does not exist in provided choices: ${JSON.stringify(choices)}.`;
    }
    const numeric = type === "number_decimal" || type === "number_integer";
    if (numeric && v.name === "min" && Number(value) < Number(v.value)) return `Value must be greater than or equal to ${v.value}.`;
    if (numeric && v.name === "max" && Number(value) > Number(v.value)) return `Value must be less than or equal to ${v.value}.`;
    if (type.endsWith("text_field") && v.name === "min" && value.length < Number(v.value))
      return `Value is too short (minimum is ${v.value} characters).`;
    if (type.endsWith("text_field") && v.name === "max" && value.length > Number(v.value))
      return `Value is too long (maximum is ${v.value} characters).`;
  }
  return null;
}

/** The customer metafield types a segment can filter on ("Metafield-based customer segment filters"). */
export function segmentFilterType(ctx: RequestContext, namespace: string, key: string): MetafieldFilterType | null {
  const definition = ctx.shop.metafieldDefinitions.get(mapKey("CUSTOMER", namespace, key));
  if (!definition) return null;
  if (definition.type === "number_integer" || definition.type === "number_decimal") return "number";
  if (definition.type === "single_line_text_field") return "text";
  if (definition.type === "date" || definition.type === "date_time") return "date";
  if (definition.type === "boolean") return "boolean";
  return null;
}

/** What segment queries need to know of the shop's customer definitions. */
export function segmentQueryOptions(ctx: RequestContext): SegmentQueryOptions {
  return { metafieldType: (namespace, key) => segmentFilterType(ctx, namespace, key) };
}

const validationType = (d: MetafieldDefinitionRecord, name: string) =>
  name === "choices" ? "list.single_line_text_field" : d.type.includes("number") ? d.type.replace("list.", "") : "number_integer";

/** MetafieldDefinition.validations: each option with the type of its value. */
export function definitionValidations(d: MetafieldDefinitionRecord) {
  return (d.validations ?? []).map((v) => ({ name: v.name, value: v.value, type: validationType(d, v.name) }));
}

export const analyticsEligible = (ownerType: string) => ANALYTICS_OWNER_TYPES.has(ownerType);

const root =
  <T>(fn: (ctx: RequestContext, args: Args) => T) =>
  (_source: unknown, args: Args, ctx: RequestContext) =>
    fn(ctx, args);

defineResolvers<unknown>("Mutation", {
  metafieldDefinitionCreate: root(metafieldDefinitionCreate),
  metafieldDefinitionUpdate: root(metafieldDefinitionUpdate),
  metafieldDefinitionDelete: root(metafieldDefinitionDelete),
});
