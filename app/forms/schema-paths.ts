/**
 * Form field names as object paths, allowed only where a zod schema declares them. A form posts flat
 * names ("reward.percentage", "tiers.0.threshold"); turning them into nested objects is where a name
 * like `__proto__.polluted` would otherwise write onto Object.prototype of the whole server. Each
 * segment must be a key the schema itself lists (own property of an object shape, or an index of an
 * array below its declared maximum), so the schema that validates the form is also its allow-list.
 */
import { z } from "zod";

/** Never a path segment, whatever a schema says. */
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);
/** Arrays without a declared maximum still get one: a form index is a small number. */
const MAX_INDEX = 100;
const INDEX = /^(0|[1-9]\d{0,2})$/;

type Step = { kind: "key"; key: string } | { kind: "index"; index: number };

/** Strips wrappers that do not change which keys a value may have. */
function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  for (;;) {
    if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) schema = schema.unwrap();
    else if (schema instanceof z.ZodDefault) schema = schema.removeDefault();
    else if (schema instanceof z.ZodEffects) schema = schema.innerType();
    else if (schema instanceof z.ZodPipeline) schema = schema._def.in;
    else if (schema instanceof z.ZodLazy) schema = schema.schema;
    else if (schema instanceof z.ZodBranded) schema = schema.unwrap();
    else if (schema instanceof z.ZodReadonly || schema instanceof z.ZodCatch) schema = schema._def.innerType;
    else return schema;
  }
}

/** The schemas a value at `segment` below `schema` may have (several for unions). */
function childSchemas(schema: z.ZodTypeAny, segment: string): z.ZodTypeAny[] {
  const node = unwrap(schema);
  if (node instanceof z.ZodObject) {
    const shape = node.shape as Record<string, z.ZodTypeAny>;
    return Object.prototype.hasOwnProperty.call(shape, segment) ? [shape[segment]] : [];
  }
  if (node instanceof z.ZodArray) {
    if (!INDEX.test(segment)) return [];
    const max = Math.min(node._def.maxLength?.value ?? MAX_INDEX, MAX_INDEX);
    return Number(segment) < max ? [node.element] : [];
  }
  if (node instanceof z.ZodDiscriminatedUnion || node instanceof z.ZodUnion) {
    const options = (node instanceof z.ZodDiscriminatedUnion ? node.options : node._def.options) as z.ZodTypeAny[];
    return options.flatMap((option) => childSchemas(option, segment));
  }
  if (node instanceof z.ZodIntersection) return [...childSchemas(node._def.left, segment), ...childSchemas(node._def.right, segment)];
  return [];
}

/** The path's steps when every segment is declared by `schema`; null otherwise. */
export function declaredPath(schema: z.ZodTypeAny, name: string): Step[] | null {
  const segments = name.split(".");
  const steps: Step[] = [];
  let candidates = [schema];
  for (const segment of segments) {
    if (FORBIDDEN.has(segment) || segment === "") return null;
    const isIndex = candidates.some((c) => unwrap(c) instanceof z.ZodArray);
    candidates = candidates.flatMap((c) => childSchemas(c, segment));
    if (!candidates.length) return null;
    steps.push(isIndex ? { kind: "index", index: Number(segment) } : { kind: "key", key: segment });
  }
  return steps;
}

/**
 * Sets `value` at the field `name` of `target` when `schema` declares that path; returns false (and
 * changes nothing) when it does not. Containers on the way are created as plain objects and arrays.
 */
export function setDeclaredField(target: Record<string, unknown>, schema: z.ZodTypeAny, name: string, value: unknown): boolean {
  const steps = declaredPath(schema, name);
  if (!steps) return false;
  let node: Record<string, unknown> | unknown[] = target;
  steps.forEach((step, i) => {
    const key = step.kind === "index" ? step.index : step.key;
    const container = node as Record<string | number, unknown>;
    if (i === steps.length - 1) {
      container[key] = value;
      return;
    }
    const existing = Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
    if (typeof existing !== "object" || existing === null) container[key] = steps[i + 1].kind === "index" ? [] : {};
    node = container[key] as Record<string, unknown> | unknown[];
  });
  return true;
}
