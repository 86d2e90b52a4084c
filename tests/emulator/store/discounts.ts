export type DiscountValue =
  | { type: "percentage"; percentage: number }
  | { type: "amount"; amountCents: number; appliesOnEachItem: boolean }
  /** A free-shipping code discount (DiscountCodeFreeShipping): no customerGets, a destination instead. */
  | { type: "freeShipping"; destination: ShippingDestination; maximumShippingPriceCents: number | null };

export type ShippingDestination = { all: true } | { countries: string[]; includeRestOfWorld: boolean };

export type DiscountContextRecord =
  { type: "all" } | { type: "customers"; customerIds: string[] } | { type: "segments"; segmentIds: string[] };

export interface RedeemCodeRecord {
  id: number;
  code: string;
  createdAt: number;
  asyncUsageCount: number;
}

export interface DiscountRecord {
  id: number;
  title: string;
  codes: RedeemCodeRecord[];
  startsAt: number;
  endsAt: number | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  combinesWith: { productDiscounts: boolean; orderDiscounts: boolean; shippingDiscounts: boolean };
  value: DiscountValue;
  items: { all: true } | { productIds: string[] } | { collectionIds: string[] };
  context: DiscountContextRecord;
  minimumRequirement: { quantity: number } | { subtotalCents: number } | null;
  recurringCycleLimit: number | null;
  tags: string[];
  createdAt: number;
  updatedAt: number;
}

export interface RedeemCodeBulkCreationRecord {
  id: number;
  discountId: number;
  createdAt: number;
  done: boolean;
  codes: { code: string; redeemCodeId: number | null; errors: { field: string[]; message: string; code: string }[] }[];
}

export function discountStatus(discount: DiscountRecord, now: number): "ACTIVE" | "EXPIRED" | "SCHEDULED" {
  if (discount.startsAt > now) return "SCHEDULED";
  if (discount.endsAt !== null && discount.endsAt <= now) return "EXPIRED";
  return "ACTIVE";
}

/** Code discounts of one shop, indexed by id and by code (codes are unique per shop, case-insensitively). */
export class DiscountStore {
  readonly byId = new Map<number, DiscountRecord>();
  readonly bulkCreations = new Map<number, RedeemCodeBulkCreationRecord>();
  /**
   * Fault knob: the next N code-discount creates answer `codeDiscountNode: null` with no userErrors and store
   * nothing (an answer Shopify's schema allows), so tests can see what the app does with it.
   */
  readonly controls = { answerWithoutDiscountNext: 0 };
  private readonly byCode = new Map<string, number>();

  discountForCode(code: string): DiscountRecord | null {
    const id = this.byCode.get(code.toLowerCase());
    return id === undefined ? null : (this.byId.get(id) ?? null);
  }

  codeTaken(code: string): boolean {
    return this.byCode.has(code.toLowerCase());
  }

  save(discount: DiscountRecord): void {
    const previous = this.byId.get(discount.id);
    for (const code of previous?.codes ?? []) this.byCode.delete(code.code.toLowerCase());
    this.byId.set(discount.id, discount);
    for (const code of discount.codes) this.byCode.set(code.code.toLowerCase(), discount.id);
  }

  delete(id: number): boolean {
    const discount = this.byId.get(id);
    if (!discount) return false;
    for (const code of discount.codes) this.byCode.delete(code.code.toLowerCase());
    this.byId.delete(id);
    return true;
  }
}
