import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from "graphql";
import type { RequestContext } from "../graphql/context";
import { isBulkSequence, type BulkSequence } from "../graphql/connection";
import { resolverFor } from "../graphql/registry";
import { childFields, type BulkQueryPlan, type PlanField } from "./plan";

export type JsonLine = Record<string, unknown>;

/** A field's output type decoded once (graphql-js type checks are slow in a loop over a million nodes). */
type Shape =
  | { kind: "list"; of: Shape }
  | { kind: "leaf"; serialize: (value: unknown) => unknown }
  | { kind: "object"; type: GraphQLObjectType | null; named: GraphQLOutputType };

const shapes = new WeakMap<PlanField, Shape>();

function decode(type: GraphQLOutputType): Shape {
  if (isNonNullType(type)) return decode(type.ofType);
  if (isListType(type)) return { kind: "list", of: decode(type.ofType) };
  if (isLeafType(type)) {
    const leaf = type as GraphQLLeafType;
    return { kind: "leaf", serialize: (value) => leaf.serialize(value) };
  }
  const named = getNamedType(type);
  return { kind: "object", type: isObjectType(named) ? named : null, named };
}

function shapeOf(field: PlanField): Shape {
  let shape = shapes.get(field);
  if (!shape) {
    shape = decode(field.type as GraphQLOutputType);
    shapes.set(field, shape);
  }
  return shape;
}

interface ChildWork {
  field: PlanField;
  owner: JsonLine;
  sequence: BulkSequence<unknown>;
}

/**
 * Runs a compiled bulk query over plain records with the same resolvers as the GraphQL endpoint, turning each
 * node into JSONL lines: nested connection nodes become their own lines carrying `__parentId`.
 */
export class BulkProjector {
  constructor(
    private readonly plan: BulkQueryPlan,
    private readonly ctx: RequestContext,
  ) {}

  /** The root connection's nodes, in order. Throws GraphQLError (e.g. ACCESS_DENIED) like the root resolver would. */
  rootSequence(): BulkSequence<unknown> {
    const queryType = this.plan.schema.getQueryType() as GraphQLObjectType;
    const value = this.resolve(queryType.name, this.plan.root, null);
    if (!isBulkSequence(value)) throw new Error(`Bulk root ${this.plan.root.fieldName} did not resolve to a connection`);
    return value;
  }

  /** The root line followed by every descendant line (children of a node right after it, depth first). */
  linesForRoot(node: unknown): JsonLine[] {
    return this.nodeLines(this.plan.root, node, undefined);
  }

  private nodeLines(connection: PlanField, node: unknown, parentId: string | undefined): JsonLine[] {
    const type = this.concreteType(connection.nodeType as GraphQLOutputType, node);
    const fields = childFields(this.plan, connection, type, connection.nodeSelections);
    const children: ChildWork[] = [];
    const line = this.execFields(fields, type, node, children);
    if (parentId !== undefined) line.__parentId = parentId;
    const lines = [line];
    for (const child of children) {
      const ownerId = typeof child.owner.id === "string" ? child.owner.id : undefined;
      for (let p = 0; p < child.sequence.size; p += 1) {
        lines.push(...this.nodeLines(child.field, child.sequence.load(p), ownerId));
      }
    }
    return lines;
  }

  private execFields(fields: PlanField[], type: GraphQLObjectType, source: unknown, children: ChildWork[]): JsonLine {
    const line: JsonLine = {};
    for (const field of fields) {
      if (field.fieldName === "__typename") {
        line[field.responseKey] = type.name;
        continue;
      }
      const value = this.resolve(type.name, field, source);
      if (field.connection) {
        if (isBulkSequence(value)) children.push({ field, owner: line, sequence: value });
        continue;
      }
      line[field.responseKey] = this.complete(field, shapeOf(field), value, children);
    }
    return line;
  }

  private complete(field: PlanField, shape: Shape, value: unknown, children: ChildWork[]): unknown {
    if (value === null || value === undefined) return null;
    switch (shape.kind) {
      case "list":
        return (value as unknown[]).map((item) => this.complete(field, shape.of, item, children));
      case "leaf":
        return shape.serialize(value);
      case "object": {
        const concrete = shape.type ?? this.concreteType(shape.named, value);
        const nested = childFields(this.plan, field, concrete, field.selections);
        return this.execFields(nested, concrete, value, children);
      }
    }
  }

  private concreteType(type: GraphQLOutputType, value: unknown): GraphQLObjectType {
    const named = getNamedType(type);
    if (isObjectType(named)) return named;
    if (isAbstractType(named)) {
      const name = (value as { __typename?: string }).__typename;
      const resolved = name ? this.plan.schema.getType(name) : undefined;
      if (resolved && isObjectType(resolved)) return resolved;
    }
    throw new Error(`Cannot determine the concrete type for ${named.name}`);
  }

  private resolve(typeName: string, field: PlanField, source: unknown): unknown {
    const resolver = resolverFor(typeName, field.fieldName);
    if (resolver) return resolver(source as never, field.args, this.ctx);
    const value = (source as Record<string, unknown> | null)?.[field.fieldName];
    return typeof value === "function" ? (value as () => unknown).call(source) : value;
  }
}
