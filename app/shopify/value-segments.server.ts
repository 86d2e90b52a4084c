/**
 * Kinship's values as customer metafield definitions, and Kinship's customer segments over them (issue 21
 * items 3–4, decision 025). Definitions are merchant-owned in the `kinship` namespace, created and kept
 * current through the API (TOML can declare only app-reserved namespaces); segments are plain Shopify
 * segments whose ids the caller keeps.
 */
import {
  KINSHIP_METAFIELD_DEFINITIONS,
  VALUE_METAFIELD_NAMESPACE,
  type KinshipMetafieldDefinition,
} from "../retention/segments/value-metafields";
import { ShopifyUserErrors, type AdminClient } from "./admin-client.server";
import type { ShopifyUserError } from "./admin-errors";
import {
  METAFIELD_DEFINITION_CREATE,
  METAFIELD_DEFINITION_UPDATE,
  SEGMENT_CREATE,
  SEGMENT_DELETE,
  SEGMENT_UPDATE,
  SEGMENT_NODES_QUERY,
  SEGMENTS_BY_NAME_QUERY,
  VALUE_DEFINITIONS_QUERY,
  type SegmentNode,
  type ValueDefinitionNode,
} from "./queries/value-segments";

type ValueKey = KinshipMetafieldDefinition["key"];

export interface DefinitionTexts {
  name: string;
  description: string;
}

/**
 * Shopify's validation options for each value: the fixed choices of lifecycle and RFM cell (`choices`, a JSON
 * list), P(alive) between 0 and 1 and a CLV that is never negative (`min`/`max` of number_decimal).
 */
export function definitionValidations(definition: KinshipMetafieldDefinition): { name: string; value: string }[] {
  if (definition.choices) return [{ name: "choices", value: JSON.stringify(definition.choices) }];
  if (definition.key === "p_alive")
    return [
      { name: "min", value: "0" },
      { name: "max", value: "1" },
    ];
  if (definition.key === "predicted_clv") return [{ name: "min", value: "0" }];
  return [];
}

export interface DefinitionsResult {
  created: ValueKey[];
  updated: ValueKey[];
  unchanged: ValueKey[];
  /** Keys someone else defined with another type: Kinship cannot write them (the merchant must delete that definition). */
  conflicts: Array<{ key: ValueKey; type: string }>;
}

/** A validation's value compared by meaning: Shopify may return the choices' JSON spaced differently. */
function normalValue(value: string | null): string {
  if (value === null) return "";
  try {
    return JSON.stringify(JSON.parse(value));
  } catch {
    return value;
  }
}

const sameValidations = (a: readonly { name: string; value: string | null }[], b: readonly { name: string; value: string }[]) =>
  a.length === b.length && b.every((v) => a.some((w) => w.name === v.name && normalValue(w.value) === normalValue(v.value)));

/**
 * Makes the shop's `kinship.*` customer definitions match KINSHIP_METAFIELD_DEFINITIONS (the values and the
 * latest reward's metafields): creates the missing ones (a TAKEN
 * answer — another request created it meanwhile — counts as done), updates name, description, validations and
 * the analytics capability where they differ, and leaves the rest alone. Safe to run on every install.
 */
export async function ensureValueDefinitions(client: AdminClient, texts: Record<ValueKey, DefinitionTexts>): Promise<DefinitionsResult> {
  const data = await client.request<{ metafieldDefinitions: { nodes: ValueDefinitionNode[] } }>(VALUE_DEFINITIONS_QUERY, {
    namespace: VALUE_METAFIELD_NAMESPACE,
  });
  const existing = new Map(data.metafieldDefinitions.nodes.map((d) => [d.key, d]));
  const result: DefinitionsResult = { created: [], updated: [], unchanged: [], conflicts: [] };
  for (const definition of KINSHIP_METAFIELD_DEFINITIONS) {
    const { key, type } = definition;
    const { name, description } = texts[key];
    const validations = definitionValidations(definition);
    const current = existing.get(key);
    if (current && current.type.name !== type) {
      result.conflicts.push({ key, type: current.type.name });
      continue;
    }
    if (!current) {
      const created = await client.request<{ metafieldDefinitionCreate: { userErrors: ShopifyUserError[] } }>(METAFIELD_DEFINITION_CREATE, {
        definition: {
          namespace: VALUE_METAFIELD_NAMESPACE,
          key,
          name,
          description,
          ownerType: "CUSTOMER",
          type,
          validations,
          // Shopify Analytics and ShopifyQL can group and filter by the value (changelog, 2026-04).
          capabilities: { analyticsQueryable: { enabled: true } },
        },
      });
      const errors = created.metafieldDefinitionCreate.userErrors.filter((e) => e.code !== "TAKEN");
      if (errors.length) throw new ShopifyUserErrors("metafieldDefinitionCreate", errors);
      result[created.metafieldDefinitionCreate.userErrors.length ? "unchanged" : "created"].push(key);
      continue;
    }
    const upToDate =
      current.name === name &&
      (current.description ?? "") === description &&
      sameValidations(current.validations, validations) &&
      current.capabilities.analyticsQueryable.enabled;
    if (upToDate) {
      result.unchanged.push(key);
      continue;
    }
    await client.mutate(
      METAFIELD_DEFINITION_UPDATE,
      {
        definition: {
          namespace: VALUE_METAFIELD_NAMESPACE,
          key,
          ownerType: "CUSTOMER",
          name,
          description,
          validations,
          capabilities: { analyticsQueryable: { enabled: true } },
        },
      },
      "metafieldDefinitionUpdate",
    );
    result.updated.push(key);
  }
  return result;
}

interface SegmentPayload {
  segment: SegmentNode | null;
  userErrors: ShopifyUserError[];
}

const onField = (errors: readonly ShopifyUserError[], field: string) => errors.some((e) => e.field?.[0] === field);

/** Shopify accepts at most 250 ids in one `nodes` call. */
const NODES_PER_CALL = 250;

/** The segments of these ids that Shopify still has, by id, with their current name and query. */
export async function liveSegments(client: AdminClient, ids: readonly string[]): Promise<Map<string, SegmentNode>> {
  const live = new Map<string, SegmentNode>();
  for (let i = 0; i < ids.length; i += NODES_PER_CALL) {
    const data = await client.request<{ nodes: (Partial<SegmentNode> | null)[] }>(SEGMENT_NODES_QUERY, {
      ids: ids.slice(i, i + NODES_PER_CALL),
    });
    for (const node of data.nodes) if (node?.id) live.set(node.id, { id: node.id, name: node.name ?? "", query: node.query ?? "" });
  }
  return live;
}

/** A segment of exactly this name (segment names are unique in a shop), or null. */
export async function findSegmentByName(client: AdminClient, name: string): Promise<SegmentNode | null> {
  const data = await client.request<{ segments: { nodes: SegmentNode[] } }>(SEGMENTS_BY_NAME_QUERY, {
    query: `name:"${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`,
  });
  return data.segments.nodes.find((s) => s.name === name) ?? null;
}

/**
 * Creates a segment and returns its id. When the name is taken (Kinship created it before and lost the answer,
 * or the app was reinstalled), the segment of that name is taken over and given the query.
 */
export async function createSegment(client: AdminClient, name: string, query: string): Promise<string> {
  const data = await client.request<{ segmentCreate: SegmentPayload }>(SEGMENT_CREATE, { name, query });
  const { segment, userErrors } = data.segmentCreate;
  if (segment && !userErrors.length) return segment.id;
  if (onField(userErrors, "name") && !onField(userErrors, "query")) {
    const found = await findSegmentByName(client, name);
    if (found) {
      if (found.query !== query) await updateSegment(client, found.id, name, query);
      return found.id;
    }
  }
  throw new ShopifyUserErrors("segmentCreate", userErrors.length ? userErrors : [{ message: "no segment returned" }]);
}

/** Renames and redefines a segment; "missing" when Shopify no longer has it (the merchant deleted it). */
export async function updateSegment(client: AdminClient, id: string, name: string, query: string): Promise<"updated" | "missing"> {
  const data = await client.request<{ segmentUpdate: SegmentPayload }>(SEGMENT_UPDATE, { id, name, query });
  const { userErrors } = data.segmentUpdate;
  if (!userErrors.length) return "updated";
  if (onField(userErrors, "id")) return "missing";
  throw new ShopifyUserErrors("segmentUpdate", userErrors);
}

/** Deletes a segment; one Shopify no longer has counts as deleted. */
export async function deleteSegment(client: AdminClient, id: string): Promise<"deleted" | "missing"> {
  const data = await client.request<{ segmentDelete: { deletedSegmentId: string | null; userErrors: ShopifyUserError[] } }>(
    SEGMENT_DELETE,
    { id },
  );
  const { userErrors } = data.segmentDelete;
  if (!userErrors.length) return "deleted";
  if (onField(userErrors, "id")) return "missing";
  throw new ShopifyUserErrors("segmentDelete", userErrors);
}
