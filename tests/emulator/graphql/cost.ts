import {
  getArgumentValues,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/**
 * Shopify's cost model: scalars and enums 0, objects 1, connections 2 + first × (cost of one node), each mutation 10.
 * The requested cost uses `first`/`last`; the actual cost counts the nodes really returned.
 */
export const MUTATION_COST = 10;

type Json = Record<string, unknown>;

export function isConnectionType(type: GraphQLNamedType): type is GraphQLObjectType {
  if (!isObjectType(type) || !type.name.endsWith("Connection")) return false;
  const fields = type.getFields();
  return "edges" in fields || "nodes" in fields;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function fieldsOf(type: GraphQLCompositeType) {
  return "getFields" in type ? type.getFields() : {};
}

function argsOf(walk: Walk, type: GraphQLCompositeType, node: FieldNode): Record<string, unknown> {
  const def = fieldsOf(type)[node.name.value];
  if (!def) return {};
  try {
    return getArgumentValues(def, node, walk.variables);
  } catch {
    return {};
  }
}

function unwrapList(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner);
}

/** Node selections of a connection field: `edges { node { … } }` and `nodes { … }`. */
function nodeSelections(walk: Walk, selectionSet: SelectionSetNode | undefined): { edges: SelectionSetNode[]; nodes: SelectionSetNode[] } {
  const result = { edges: [] as SelectionSetNode[], nodes: [] as SelectionSetNode[] };
  const visit = (set: SelectionSetNode | undefined, inEdges: boolean) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (!inEdges && name === "edges") visit(selection.selectionSet, true);
        else if (inEdges && name === "node" && selection.selectionSet) result.edges.push(selection.selectionSet);
        else if (!inEdges && name === "nodes" && selection.selectionSet) result.nodes.push(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, inEdges);
      } else {
        visit(walk.fragments.get(selection.name.value)?.selectionSet, inEdges);
      }
    }
  };
  visit(selectionSet, false);
  return result;
}

function selectionCost(
  walk: Walk,
  set: SelectionSetNode | undefined,
  parent: GraphQLCompositeType,
  data: Json | null | undefined,
  actual: boolean,
): number {
  let total = 0;
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      total += selectionCost(walk, selection.selectionSet, (condition ?? parent) as GraphQLCompositeType, data, actual);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = walk.fragments.get(selection.name.value);
      if (!fragment) continue;
      const condition = walk.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
      total += selectionCost(walk, fragment.selectionSet, condition ?? parent, data, actual);
      continue;
    }
    const name = selection.name.value;
    if (name.startsWith("__")) continue;
    const def = fieldsOf(parent)[name];
    if (!def) continue;
    const named = getNamedType(def.type);
    if (isLeafType(named)) continue;
    const key = selection.alias?.value ?? name;
    const value = data ? data[key] : undefined;
    if (actual && (value === undefined || value === null)) continue;
    total += fieldCost(walk, selection, parent, def.type, named as GraphQLCompositeType, value, actual);
  }
  return total;
}

function fieldCost(
  walk: Walk,
  node: FieldNode,
  parent: GraphQLCompositeType,
  type: GraphQLOutputType,
  named: GraphQLCompositeType,
  value: unknown,
  actual: boolean,
): number {
  if (isConnectionType(named)) {
    const { edges, nodes } = nodeSelections(walk, node.selectionSet);
    const nodeType = getNamedType(named.getFields()[edges.length ? "edges" : "nodes"]?.type) as GraphQLCompositeType;
    const itemType =
      isObjectType(nodeType) && "node" in nodeType.getFields()
        ? (getNamedType(nodeType.getFields().node.type) as GraphQLCompositeType)
        : nodeType;
    const perNode = (item: Json | null | undefined, sets: SelectionSetNode[]) =>
      1 + sets.reduce((sum, set) => sum + selectionCost(walk, set, itemType, item, actual), 0);
    if (!actual) {
      const args = argsOf(walk, parent, node);
      const size = Number(args.first ?? args.last ?? 0);
      const sets = edges.length ? edges : nodes;
      return 2 + size * perNode(null, [...sets]);
    }
    const connection = value as { edges?: { node?: Json }[]; nodes?: Json[] };
    const fromEdges = (connection.edges ?? []).reduce((sum, edge) => sum + perNode(edge.node, edges), 0);
    const fromNodes = (connection.nodes ?? []).reduce((sum, item) => sum + perNode(item, nodes), 0);
    return 2 + Math.max(fromEdges, fromNodes);
  }
  const concrete = named;
  if (unwrapList(type)) {
    if (!actual) {
      const args = argsOf(walk, parent, node);
      const size = Number(args.first ?? 1);
      return size * (1 + selectionCost(walk, node.selectionSet, concrete, null, false));
    }
    return (value as Json[]).reduce((sum, item) => sum + (item ? 1 + selectionCost(walk, node.selectionSet, concrete, item, true) : 0), 0);
  }
  return 1 + selectionCost(walk, node.selectionSet, concrete, actual ? (value as Json) : null, actual);
}

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
}

function walkFor(input: CostInput): Walk {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of input.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return { schema: input.schema, fragments, variables: input.variables };
}

function rootCost(input: CostInput, data: Json | null | undefined, actual: boolean): number {
  const walk = walkFor(input);
  if (input.operation.operation === "mutation") {
    return (
      input.operation.selectionSet.selections.filter((s) => s.kind !== Kind.FIELD || !s.name.value.startsWith("__")).length * MUTATION_COST
    );
  }
  const root = input.schema.getQueryType();
  if (!root) return 0;
  return selectionCost(walk, input.operation.selectionSet, root, data, actual);
}

export function requestedQueryCost(input: CostInput): number {
  return rootCost(input, null, false);
}

export function actualQueryCost(input: CostInput, data: Json | null | undefined): number {
  if (!data) return 0;
  return rootCost(input, data, true);
}
