import { gid, parseGid } from "../../ids";
import {
  compareDigest,
  ownerTypeOf,
  STANDARD_DEFINITIONS,
  type MetafieldDefinitionRecord,
  type MetafieldRecord,
} from "../../store/metafields";
import { isoUtc } from "../../time";
import type { RequestContext } from "../context";
import { requireScope } from "../errors";
import { defineResolvers, typed, type Args } from "../registry";
import { resolveNamespace } from "./common";
import { analyticsEligible, definitionValidations, definitionValueProblem } from "./metafield-definitions";

function jsonValue(record: MetafieldRecord): unknown {
  switch (record.type) {
    case "number_integer":
      return Number.parseInt(record.value, 10);
    case "number_decimal":
      return record.value;
    case "boolean":
      return record.value === "true";
    case "json":
    case "money":
    case "rating":
    case "dimension":
    case "volume":
    case "weight":
      try {
        return JSON.parse(record.value);
      } catch {
        return record.value;
      }
    default:
      return record.type.startsWith("list.") ? safeJson(record.value) : record.value;
  }
}

const safeJson = (value: string): unknown => {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

/** The owner of a metafield as a typed node (Customer, Order, Shop, Product). */
export function ownerNode(ctx: RequestContext, ownerId: string): object | null {
  const parsed = parseGid(ownerId);
  if (!parsed) return null;
  const data = ctx.shop.data;
  switch (parsed.type) {
    case "Customer": {
      const index = data.findCustomer(parsed.id);
      return index < 0 ? null : typed("Customer", data.customer(index));
    }
    case "Order": {
      const index = data.findOrder(parsed.id);
      return index < 0 ? null : typed("Order", data.order(index));
    }
    case "Product": {
      const product = data.findProduct(parsed.id);
      return product ? typed("Product", product) : null;
    }
    case "Shop":
      return parsed.id === ctx.shop.shopId ? typed("Shop", ctx.shop) : null;
    default:
      return null;
  }
}

function definitionFor(ctx: RequestContext, ownerType: string, namespace: string, key: string): MetafieldDefinitionRecord | null {
  return ctx.shop.metafieldDefinitions.get(`${ownerType}:${namespace}.${key}`) ?? null;
}

defineResolvers<MetafieldRecord>("Metafield", {
  id: (m) => gid("Metafield", m.id),
  legacyResourceId: (m) => String(m.id),
  createdAt: (m) => isoUtc(m.createdAt),
  updatedAt: (m) => isoUtc(m.updatedAt),
  jsonValue: (m) => jsonValue(m),
  compareDigest: (m) => compareDigest(m),
  description: () => null,
  owner: (m, _a, ctx) => ownerNode(ctx, m.ownerId),
  definition: (m, _a, ctx) => definitionFor(ctx, m.ownerType, m.namespace, m.key),
  reference: () => null,
  translations: () => [],
});

defineResolvers<MetafieldDefinitionRecord>("MetafieldDefinition", {
  id: (d) => gid("MetafieldDefinition", d.id),
  type: (d) => ({
    name: d.type,
    category: d.type === "date" ? "DATE_TIME" : "TEXT",
    supportedValidations: [],
    supportsDefinitionMigrations: true,
    valueType: "STRING",
  }),
  validations: (d) => definitionValidations(d),
  useAsCollectionCondition: () => false,
  validationStatus: () => "ALL_VALID",
  metafieldsCount: () => 0,
  access: () => ({ admin: "PUBLIC_READ_WRITE", customerAccount: "NONE", storefront: "NONE" }),
  capabilities: (d) => ({
    adminFilterable: { enabled: false, eligible: true, status: "NOT_FILTERABLE" },
    analyticsQueryable: { enabled: d.analyticsQueryable ?? false, eligible: analyticsEligible(d.ownerType) },
    cartToOrderCopyable: { enabled: false, eligible: false },
    smartCollectionCondition: { enabled: false, eligible: false },
    uniqueValues: { enabled: false, eligible: false },
  }),
  standardTemplate: () => null,
  constraints: () => null,
});

const MAX_METAFIELDS_PER_CALL = 25;

function validateValue(type: string, value: string): string | null {
  switch (type) {
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? null : `Value must be in \`YYYY-MM-DD\` format.`;
    case "number_integer":
      return /^-?\d+$/.test(value) ? null : "Value must be an integer.";
    case "boolean":
      return value === "true" || value === "false" ? null : "Value must be true or false.";
    case "json":
      try {
        JSON.parse(value);
        return null;
      } catch {
        return "Value is invalid JSON.";
      }
    default:
      return null;
  }
}

/** metafieldsSet: atomic, at most 25 per call, `type` needed unless a definition exists, optional compare-and-set. */
export function metafieldsSet(ctx: RequestContext, args: Args) {
  const inputs = (args.metafields as Record<string, unknown>[]) ?? [];
  const errors: { field: string[]; message: string; code: string; elementIndex: number | null }[] = [];
  if (inputs.length > MAX_METAFIELDS_PER_CALL) {
    errors.push({
      field: ["metafields"],
      message: `Exceeded the maximum metafields input limit of ${MAX_METAFIELDS_PER_CALL}.`,
      code: "LESS_THAN_OR_EQUAL_TO",
      elementIndex: null,
    });
    return { metafields: [], userErrors: errors };
  }
  const planned: Omit<MetafieldRecord, "id" | "createdAt" | "updatedAt">[] = [];
  inputs.forEach((input, index) => {
    const ownerId = String(input.ownerId);
    const ownerType = ownerTypeOf(ownerId);
    if (ownerType === "CUSTOMER") requireScope(ctx, "write_customers", "metafieldsSet");
    if (!ownerType || !ownerNode(ctx, ownerId)) {
      errors.push({
        field: ["metafields", String(index), "ownerId"],
        message: "Owner does not exist.",
        code: "INVALID",
        elementIndex: index,
      });
      return;
    }
    const namespace = resolveNamespace(ctx, input.namespace);
    const key = String(input.key);
    const value = String(input.value);
    const definition = definitionFor(ctx, ownerType, namespace, key);
    const existing = ctx.shop.metafields.get(ownerId, namespace, key);
    const type = (input.type as string | null | undefined) ?? definition?.type ?? existing?.type ?? null;
    if (!type) {
      errors.push({ field: ["metafields", String(index), "type"], message: "Type can't be blank.", code: "BLANK", elementIndex: index });
      return;
    }
    if (definition && input.type && input.type !== definition.type) {
      errors.push({
        field: ["metafields", String(index), "type"],
        message: `Type must be ${definition.type} to match the definition.`,
        code: "INVALID_TYPE",
        elementIndex: index,
      });
      return;
    }
    const invalid = validateValue(type, value) ?? definitionValueProblem(definition, type, value);
    if (invalid) {
      errors.push({ field: ["metafields", String(index), "value"], message: invalid, code: "INVALID_VALUE", elementIndex: index });
      return;
    }
    if (input.compareDigest !== undefined && input.compareDigest !== null) {
      const current = existing ? compareDigest(existing) : null;
      if (current !== input.compareDigest) {
        errors.push({
          field: ["metafields", String(index)],
          message: "The resource has been updated since it was loaded.",
          code: "STALE_OBJECT",
          elementIndex: index,
        });
        return;
      }
    }
    planned.push({ ownerId, ownerType, namespace, key, type, value });
  });
  if (errors.length) return { metafields: [], userErrors: errors };
  const written = planned.map((m) => ctx.shop.metafields.set(m, ctx.now));
  return { metafields: written, userErrors: [] };
}

/**
 * metafieldsDelete (2026-04): deletes by (ownerId, namespace, key); an identifier whose metafield does
 * not exist still succeeds, with `null` in its place in `deletedMetafields`.
 */
export function metafieldsDelete(ctx: RequestContext, args: Args) {
  const inputs = (args.metafields as Record<string, unknown>[]) ?? [];
  const deletedMetafields = inputs.map((input) => {
    const ownerId = String(input.ownerId);
    if (ownerTypeOf(ownerId) === "CUSTOMER") requireScope(ctx, "write_customers", "metafieldsDelete");
    const namespace = resolveNamespace(ctx, input.namespace);
    const key = String(input.key);
    if (!ctx.shop.metafields.get(ownerId, namespace, key)) return null;
    ctx.shop.metafields.delete(ownerId, namespace, key);
    // A seeded birthday lives on the customer record: deleting the metafield clears it there (an API
    // write leaves the customer's updatedAt alone, as metafieldsSet does).
    const customerId = namespace === "facts" && key === "birth_date" ? parseGid(ownerId) : null;
    const index = customerId?.type === "Customer" ? ctx.shop.data.findCustomer(customerId.id) : -1;
    if (index >= 0) ctx.shop.data.putCustomer({ ...ctx.shop.data.customer(index), birthDate: null });
    return { ownerId, namespace, key };
  });
  return { deletedMetafields, userErrors: [] };
}

export function standardMetafieldDefinitionEnable(ctx: RequestContext, args: Args) {
  const ownerType = String(args.ownerType);
  const template = STANDARD_DEFINITIONS[`${ownerType}:${String(args.namespace)}.${String(args.key)}`];
  if (!template) {
    return {
      createdDefinition: null,
      userErrors: [
        {
          field: ["namespace"],
          message: "A standard definition wasn't found for the specified owner type, namespace, and key.",
          code: "TEMPLATE_NOT_FOUND",
        },
      ],
    };
  }
  const mapKey = `${template.ownerType}:${template.namespace}.${template.key}`;
  if (ctx.shop.metafieldDefinitions.has(mapKey)) {
    return {
      createdDefinition: null,
      userErrors: [{ field: ["namespace"], message: "Key is in use for Customer metafields on the 'facts' namespace.", code: "TAKEN" }],
    };
  }
  const record: MetafieldDefinitionRecord = { ...template, id: ctx.shop.nextId(), createdAt: ctx.now, pinnedPosition: args.pin ? 1 : null };
  ctx.shop.metafieldDefinitions.set(mapKey, record);
  return { createdDefinition: record, userErrors: [] };
}

export function metafieldDefinitions(ctx: RequestContext, args: Args): MetafieldDefinitionRecord[] {
  return [...ctx.shop.metafieldDefinitions.values()].filter(
    (d) => d.ownerType === args.ownerType && (!args.namespace || d.namespace === args.namespace) && (!args.key || d.key === args.key),
  );
}
