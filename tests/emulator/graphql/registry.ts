import { defaultFieldResolver, GraphQLError, type GraphQLFieldResolver, type GraphQLTypeResolver } from "graphql";
import type { RequestContext } from "./context";

export type Args = Record<string, unknown>;
export type FieldResolver<S> = (source: S, args: Args, ctx: RequestContext) => unknown;

const registry = new Map<string, Record<string, FieldResolver<never>>>();

/** Registers field resolvers for one GraphQL type; fields without one read the same-named property. */
export function defineResolvers<S>(typeName: string, resolvers: Record<string, FieldResolver<S>>): void {
  registry.set(typeName, { ...registry.get(typeName), ...(resolvers as Record<string, FieldResolver<never>>) });
}

export function resolverFor(typeName: string, fieldName: string): FieldResolver<never> | undefined {
  return registry.get(typeName)?.[fieldName];
}

/** Marks a plain object with its concrete type for interfaces and unions (Node, DiscountCode, …). */
export function typed<T extends object>(typeName: string, value: T): T & { __typename: string } {
  return { ...value, __typename: typeName };
}

export const NOT_IMPLEMENTED = "NOT_IMPLEMENTED_IN_EMULATOR";

/**
 * A field nobody resolves is an error, never a silent null: a root field without a resolver, or an object field
 * whose source has no such property (a resolver that means "none" returns null explicitly). Otherwise an operation
 * the emulator lacks would look like Shopify answering "nothing" and the app's handling of that would be tested
 * instead of the operation.
 */
export const fieldResolver: GraphQLFieldResolver<unknown, RequestContext> = (source, args, ctx, info) => {
  const resolver = resolverFor(info.parentType.name, info.fieldName);
  if (resolver) return resolver(source as never, args, ctx);
  const isRoot = info.parentType === info.schema.getQueryType() || info.parentType === info.schema.getMutationType();
  const value = isRoot ? undefined : defaultFieldResolver(source, args, ctx, info);
  if (value === undefined) {
    throw new GraphQLError(`The Kinship emulator does not implement ${info.parentType.name}.${info.fieldName}.`, {
      extensions: { code: NOT_IMPLEMENTED },
    });
  }
  return value;
};

export const typeResolver: GraphQLTypeResolver<unknown, RequestContext> = (value) => {
  const name = (value as { __typename?: unknown } | null)?.__typename;
  return typeof name === "string" ? name : undefined;
};

export const str = (value: unknown): string | null => (typeof value === "string" ? value : null);
export const num = (value: unknown): number | null => (typeof value === "number" ? value : null);
