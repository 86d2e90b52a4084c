import {
  getArgumentValues,
  getNamedType,
  GraphQLError,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { isConnectionType } from "../graphql/cost";
import { shopifyValidationError } from "../graphql/errors";

/** One selected field of a bulk query, compiled once and reused for every node. */
export interface PlanField {
  responseKey: string;
  fieldName: string;
  def: GraphQLField<unknown, unknown> | null;
  args: Record<string, unknown>;
  type: GraphQLOutputType | null;
  connection: boolean;
  selections: SelectionSetNode[];
  /** For connections: the node type and merged node selections (`edges { node }` and `nodes`). */
  nodeType: GraphQLNamedType | null;
  nodeSelections: SelectionSetNode[];
  /** Sub-fields per concrete type, filled lazily. */
  childCache: Map<string, PlanField[]>;
}

export interface BulkQueryPlan {
  schema: GraphQLSchema;
  document: DocumentNode;
  fragments: Map<string, FragmentDefinitionNode>;
  root: PlanField;
}

export interface BulkQueryError {
  field: string[];
  message: string;
  code: "INVALID";
}

const MAX_CONNECTIONS = 5;
const MAX_NESTING = 2;

function typeMatches(schema: GraphQLSchema, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (!condition || condition === type.name) return true;
  const conditionType = schema.getType(condition);
  if (conditionType && isAbstractType(conditionType)) return schema.isSubType(conditionType, type);
  return false;
}

/** graphql-js's field collection, merged by response key, for one concrete object type. */
export function collectFields(
  plan: Pick<BulkQueryPlan, "schema" | "fragments">,
  sets: readonly SelectionSetNode[],
  type: GraphQLObjectType,
): PlanField[] {
  const byKey = new Map<string, PlanField>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (typeMatches(plan.schema, selection.typeCondition?.name.value, type)) visit(selection.selectionSet);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = plan.fragments.get(selection.name.value);
        if (fragment && typeMatches(plan.schema, fragment.typeCondition.name.value, type)) visit(fragment.selectionSet);
        continue;
      }
      const key = selection.alias?.value ?? selection.name.value;
      const existing = byKey.get(key);
      if (existing) {
        if (selection.selectionSet) existing.selections.push(selection.selectionSet);
        if (existing.connection) existing.nodeSelections.push(...nodeSelections(plan, selection.selectionSet));
        continue;
      }
      byKey.set(key, planField(plan, selection, type));
    }
  };
  sets.forEach(visit);
  return [...byKey.values()];
}

function planField(plan: Pick<BulkQueryPlan, "schema" | "fragments">, node: FieldNode, parent: GraphQLObjectType): PlanField {
  const name = node.name.value;
  const def = name.startsWith("__") ? null : (parent.getFields()[name] ?? null);
  const named = def ? getNamedType(def.type) : null;
  const connection = named !== null && isConnectionType(named);
  let nodeType: GraphQLNamedType | null = null;
  if (connection && named && isObjectType(named)) {
    const nodesField = named.getFields().nodes ?? named.getFields().edges;
    const inner = getNamedType(nodesField.type);
    nodeType =
      isObjectType(inner) && inner.getFields().node && inner.name.endsWith("Edge") ? getNamedType(inner.getFields().node.type) : inner;
  }
  return {
    responseKey: node.alias?.value ?? name,
    fieldName: name,
    def,
    args: def ? getArgumentValues(def, node, {}) : {},
    type: def?.type ?? null,
    connection,
    selections: node.selectionSet ? [node.selectionSet] : [],
    nodeType,
    nodeSelections: connection ? nodeSelections(plan, node.selectionSet) : [],
    childCache: new Map(),
  };
}

function nodeSelections(plan: Pick<BulkQueryPlan, "fragments">, set: SelectionSetNode | undefined): SelectionSetNode[] {
  const result: SelectionSetNode[] = [];
  const visit = (s: SelectionSetNode | undefined, inEdges: boolean) => {
    for (const selection of s?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (!inEdges && name === "edges") visit(selection.selectionSet, true);
        else if (selection.selectionSet && ((inEdges && name === "node") || (!inEdges && name === "nodes")))
          result.push(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, inEdges);
      else visit(plan.fragments.get(selection.name.value)?.selectionSet, inEdges);
    }
  };
  visit(set, false);
  return result;
}

/** Fields under `fields` for a concrete type (cached on the field). */
export function childFields(plan: BulkQueryPlan, field: PlanField, type: GraphQLObjectType, sets: SelectionSetNode[]): PlanField[] {
  let cached = field.childCache.get(type.name);
  if (!cached) {
    cached = collectFields(plan, sets, type);
    field.childCache.set(type.name, cached);
  }
  return cached;
}

const invalid = (message: string): BulkQueryError => ({ field: ["query"], message, code: "INVALID" });

/**
 * Parses and checks a bulk query the way bulkOperationRunQuery does: valid against the schema, one top-level
 * connection, at most five connections, nesting depth at most two, and `id` selected on parents of nested
 * connections.
 */
export function compileBulkQuery(schema: GraphQLSchema, query: string): { plan?: BulkQueryPlan; errors: BulkQueryError[] } {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { errors: [invalid(`Invalid bulk query: ${(error as GraphQLError).message}`)] };
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length) {
    return { errors: validationErrors.map((e) => invalid(`Invalid bulk query: ${String(shopifyValidationError(e).message)}`)) };
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0].kind !== Kind.OPERATION_DEFINITION || operations[0].operation !== "query") {
    return { errors: [invalid("Bulk queries must contain exactly one query operation; mutations are run with bulkOperationRunMutation.")] };
  }
  if (operations[0].variableDefinitions?.length) return { errors: [invalid("Bulk queries cannot use variables.")] };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const queryType = schema.getQueryType();
  if (!queryType) return { errors: [invalid("Schema has no query type.")] };
  const partial = { schema, fragments };
  const roots = collectFields(partial, [operations[0].selectionSet], queryType).filter((f) => !f.fieldName.startsWith("__"));
  if (roots.length !== 1) return { errors: [invalid("Bulk queries must contain exactly one top-level field.")] };
  const root = roots[0];
  if (!root.connection) return { errors: [invalid("Bulk queries must contain at least one connection, starting at the top-level field.")] };

  const problems: BulkQueryError[] = [];
  let connections = 0;
  const missingId: string[] = [];
  const walk = (field: PlanField, depth: number) => {
    connections += 1;
    if (depth > MAX_NESTING) {
      problems.push(invalid(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_NESTING}.`));
      return;
    }
    const nodeType = field.nodeType;
    if (!nodeType || !(isObjectType(nodeType) || isInterfaceType(nodeType))) return;
    const types = isObjectType(nodeType) ? [nodeType] : schema.getPossibleTypes(nodeType);
    for (const type of types) walkObject(collectFields(partial, field.nodeSelections, type), depth, true);
  };
  const walkObject = (fields: PlanField[], depth: number, isNode: boolean) => {
    const nested = fields.filter((f) => f.connection);
    if (nested.length && isNode && !fields.some((f) => f.fieldName === "id" && f.responseKey === "id")) {
      missingId.push(...nested.map((f) => f.fieldName));
    }
    for (const f of fields) {
      if (f.connection) walk(f, depth + 1);
      else if (f.type && f.selections.length) {
        const named = getNamedType(f.type);
        const types = isObjectType(named) ? [named] : isAbstractType(named) ? schema.getPossibleTypes(named) : [];
        for (const t of types) walkObject(collectFields(partial, f.selections, t), depth, true);
      }
    }
  };
  // The root connection is level 0; "nesting depth of two" allows e.g. customers → orders → lineItems.
  walk(root, 0);
  if (connections > MAX_CONNECTIONS) problems.push(invalid(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`));
  if (missingId.length) {
    problems.push(
      invalid(
        `The parent 'node' field for a nested connection must select the 'id' field. Connection fields without 'id': ${[...new Set(missingId)].join(", ")}.`,
      ),
    );
  }
  if (problems.length) return { errors: problems };
  return { plan: { schema, document, fragments, root }, errors: [] };
}
