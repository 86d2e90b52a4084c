/** A Shopify `userErrors` entry: business validation failures arrive with HTTP 200. */
export interface ShopifyUserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
  /** metafieldsSet and other list inputs: which entry the error is about. */
  elementIndex?: number | null;
}

export class ShopifyUserErrors extends Error {
  readonly userErrors: ShopifyUserError[];
  readonly operation: string;

  constructor(operation: string, userErrors: ShopifyUserError[]) {
    super(`${operation} failed: ` + userErrors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; "));
    this.name = "ShopifyUserErrors";
    this.operation = operation;
    this.userErrors = userErrors;
  }

  /** Field paths ("basicCodeDiscount.code") mapped to their messages, for forms and logs. */
  get byField(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const error of this.userErrors) {
      const key = error.field?.join(".") ?? "";
      (out[key] ??= []).push(error.message);
    }
    return out;
  }
}

export class AdminApiError extends Error {
  readonly status: number | undefined;
  readonly graphqlErrors: unknown[];

  constructor(message: string, status?: number, graphqlErrors: unknown[] = []) {
    super(message);
    this.name = "AdminApiError";
    this.status = status;
    this.graphqlErrors = graphqlErrors;
  }
}
