import { gid, parseGid } from "../../ids";
import { decimalString, parseDecimalToCents } from "../../money";
import {
  discountStatus,
  type DiscountRecord,
  type DiscountValue,
  type RedeemCodeBulkCreationRecord,
  type RedeemCodeRecord,
} from "../../store/discounts";
import { isoUtc, nullableIsoUtc } from "../../time";
import type { RequestContext } from "../context";
import { paginateList } from "../connection";
import { requireScope } from "../errors";
import { defineResolvers, typed, type Args, type FieldResolver } from "../registry";
import { connectionArgs, count, money } from "./common";

type UserError = { field: string[] | null; message: string; code: string; extraInfo: string | null };

const userError = (field: string[] | null, message: string, code: string): UserError => ({ field, message, code, extraInfo: null });

/** DiscountCodeNode and DiscountCodeBasic are two views of one stored discount. */
export interface DiscountNodeSource {
  discount: DiscountRecord;
}

export const discountNode = (discount: DiscountRecord): DiscountNodeSource => ({ discount });

function summary(discount: DiscountRecord, ctx: RequestContext): string {
  const value = discount.value;
  if (value.type === "freeShipping") {
    return "all" in value.destination
      ? "Free shipping on all products • For all countries"
      : `Free shipping on all products • For ${value.destination.countries.length} countries`;
  }
  const off =
    value.type === "percentage"
      ? `${Math.round(value.percentage * 10000) / 100}% off`
      : `${decimalString(value.amountCents)} ${ctx.shop.currency} off`;
  const target = "all" in discount.items ? "entire order" : "selected items";
  return `${off} ${target}`;
}

/** The concrete DiscountCode type a stored discount is served as. */
const codeDiscountType = (discount: DiscountRecord) =>
  discount.value.type === "freeShipping" ? "DiscountCodeFreeShipping" : "DiscountCodeBasic";

defineResolvers<DiscountNodeSource>("DiscountCodeNode", {
  id: (s) => gid("DiscountCodeNode", s.discount.id),
  codeDiscount: (s) => typed(codeDiscountType(s.discount), s),
  metafield: () => null,
});

/** Fields DiscountCodeBasic and DiscountCodeFreeShipping share. */
const commonCodeFields = {
  title: (s) => s.discount.title,
  status: (s, _a, ctx) => discountStatus(s.discount, ctx.now),
  startsAt: (s) => isoUtc(s.discount.startsAt),
  endsAt: (s) => nullableIsoUtc(s.discount.endsAt),
  createdAt: (s) => isoUtc(s.discount.createdAt),
  updatedAt: (s) => isoUtc(s.discount.updatedAt),
  usageLimit: (s) => s.discount.usageLimit,
  asyncUsageCount: (s) => s.discount.codes.reduce((sum, code) => sum + code.asyncUsageCount, 0),
  appliesOncePerCustomer: (s) => s.discount.appliesOncePerCustomer,
  recurringCycleLimit: (s) => s.discount.recurringCycleLimit ?? 0,
  combinesWith: (s) => s.discount.combinesWith,
  tags: (s) => s.discount.tags,
  hasTimelineComment: () => false,
  shareableUrls: () => [],
  summary: (s, _a, ctx) => summary(s.discount, ctx),
  shortSummary: (s, _a, ctx) => summary(s.discount, ctx),
  totalSales: (_s, _a, ctx) => money(ctx, 0),
  codesCount: (s) => count(s.discount.codes.length),
  codes: (s, args, ctx) => paginateList<RedeemCodeRecord>(ctx, s.discount.codes, (c) => c.id, connectionArgs(args)),
  minimumRequirement: (s, _a, ctx) => {
    const requirement = s.discount.minimumRequirement;
    if (!requirement) return null;
    return "quantity" in requirement
      ? typed("DiscountMinimumQuantity", { greaterThanOrEqualToQuantity: String(requirement.quantity) })
      : typed("DiscountMinimumSubtotal", { greaterThanOrEqualToSubtotal: money(ctx, requirement.subtotalCents) });
  },
  context: (s, _a, ctx) => contextView(s.discount, ctx, false),
  customerSelection: (s, _a, ctx) => contextView(s.discount, ctx, true),
} satisfies Record<string, FieldResolver<DiscountNodeSource>>;

defineResolvers<DiscountNodeSource>("DiscountCodeBasic", {
  ...commonCodeFields,
  discountClass: () => "ORDER",
  discountClasses: () => ["ORDER"],
  customerGets: (s, _a, ctx) => {
    const { value, items } = s.discount;
    if (value.type === "freeShipping") throw new Error("A free-shipping discount has no customerGets");
    return {
      value:
        value.type === "percentage"
          ? typed("DiscountPercentage", { percentage: value.percentage })
          : typed("DiscountAmount", { amount: money(ctx, value.amountCents), appliesOnEachItem: value.appliesOnEachItem }),
      items:
        "all" in items
          ? typed("AllDiscountItems", { allItems: true })
          : typed("DiscountProducts", { products: { nodes: [], edges: [] }, productVariants: { nodes: [], edges: [] } }),
      appliesOnOneTimePurchase: true,
      appliesOnSubscription: false,
    };
  },
});

defineResolvers<DiscountNodeSource>("DiscountCodeFreeShipping", {
  ...commonCodeFields,
  discountClass: () => "SHIPPING",
  discountClasses: () => ["SHIPPING"],
  appliesOnOneTimePurchase: () => true,
  appliesOnSubscription: () => false,
  destinationSelection: (s) => {
    const value = s.discount.value;
    const destination = value.type === "freeShipping" ? value.destination : { all: true as const };
    return "all" in destination
      ? typed("DiscountCountryAll", { allCountries: true })
      : typed("DiscountCountries", { countries: destination.countries, includeRestOfWorld: destination.includeRestOfWorld });
  },
  maximumShippingPrice: (s, _a, ctx) => {
    const value = s.discount.value;
    return value.type === "freeShipping" && value.maximumShippingPriceCents !== null ? money(ctx, value.maximumShippingPriceCents) : null;
  },
});

function contextView(discount: DiscountRecord, ctx: RequestContext, legacy: boolean) {
  const context = discount.context;
  if (context.type === "all")
    return legacy ? typed("DiscountCustomerAll", { allCustomers: true }) : typed("DiscountBuyerSelectionAll", { all: "ALL" });
  if (context.type === "customers") {
    const customers = context.customerIds
      .map((id) => ctx.shop.data.findCustomer(parseGid(id)?.id ?? -1))
      .filter((index) => index >= 0)
      .map((index) => ctx.shop.data.customer(index));
    return typed("DiscountCustomers", { customers });
  }
  const segments = context.segmentIds.map((id) => ctx.shop.segments.get(parseGid(id)?.id ?? -1)).filter(Boolean);
  return typed("DiscountCustomerSegments", { segments });
}

defineResolvers<RedeemCodeRecord>("DiscountRedeemCode", {
  id: (c) => gid("DiscountRedeemCode", c.id),
  createdBy: () => null,
});

defineResolvers<RedeemCodeBulkCreationRecord>("DiscountRedeemCodeBulkCreation", {
  id: (b) => gid("DiscountRedeemCodeBulkCreation", b.id),
  createdAt: (b) => isoUtc(b.createdAt),
  codesCount: (b) => b.codes.length,
  importedCount: (b) => (b.done ? b.codes.filter((c) => c.redeemCodeId !== null).length : 0),
  failedCount: (b) => (b.done ? b.codes.filter((c) => c.errors.length > 0).length : 0),
  discountCode: (b, _a, ctx) => {
    const discount = ctx.shop.discounts.byId.get(b.discountId);
    return discount ? discountNode(discount) : null;
  },
  codes: (b, args, ctx) =>
    paginateList(
      ctx,
      b.codes.map((c, k) => ({
        k,
        code: c.code,
        errors: c.errors.map((e) => ({ ...e, extraInfo: null })),
        discountRedeemCode: c.redeemCodeId === null ? null : findRedeemCode(ctx, b.discountId, c.redeemCodeId),
      })),
      (c) => c.k,
      connectionArgs(args),
    ),
});

function findRedeemCode(ctx: RequestContext, discountId: number, id: number): RedeemCodeRecord | null {
  return ctx.shop.discounts.byId.get(discountId)?.codes.find((c) => c.id === id) ?? null;
}

function parseDate(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const ms = Date.parse(String(value));
  return Number.isNaN(ms) ? Number.NaN : ms;
}

type Field = (...path: string[]) => string[];

/** What a code discount gives: read from the kind's own input fields (customerGets, or destination for free shipping). */
type ValueReader = (
  input: Record<string, unknown>,
  existing: DiscountRecord | null,
  field: Field,
  errors: UserError[],
) => { value?: DiscountValue; items?: DiscountRecord["items"] };

/** DiscountCodeBasicInput's `customerGets`: one of percentage or a fixed amount, on all items or some. */
const readCustomerGets: ValueReader = (input, existing, field, errors) => {
  let value = existing?.value;
  const gets = input.customerGets as Record<string, unknown> | undefined;
  if (gets) {
    const valueInput = (gets.value ?? {}) as Record<string, unknown>;
    const kinds = ["percentage", "discountAmount", "discountOnQuantity"].filter(
      (k) => valueInput[k] !== undefined && valueInput[k] !== null,
    );
    if (kinds.length !== 1) {
      errors.push(
        userError(
          field("customerGets", "value"),
          "Only one of percentage, discountAmount or discountOnQuantity is allowed.",
          kinds.length ? "TOO_MANY_ARGUMENTS" : "MISSING_ARGUMENT",
        ),
      );
    } else if (kinds[0] === "percentage") {
      const percentage = Number(valueInput.percentage);
      if (!(percentage > 0 && percentage <= 1))
        errors.push(userError(field("customerGets", "value", "percentage"), "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE"));
      value = { type: "percentage", percentage };
    } else if (kinds[0] === "discountAmount") {
      const amount = valueInput.discountAmount as Record<string, unknown>;
      const cents = parseDecimalToCents(String(amount.amount ?? ""));
      if (!(cents > 0))
        errors.push(userError(field("customerGets", "value", "discountAmount", "amount"), "Value must be greater than 0", "GREATER_THAN"));
      value = { type: "amount", amountCents: cents, appliesOnEachItem: Boolean(amount.appliesOnEachItem) };
    } else {
      errors.push(
        userError(
          field("customerGets", "value", "discountOnQuantity"),
          "discountOnQuantity is only valid for Buy X Get Y discounts.",
          "INVALID",
        ),
      );
    }
    const items = (gets.items ?? {}) as Record<string, unknown>;
    if (items.all === false && !items.products && !items.collections) {
      errors.push(userError(field("customerGets", "items"), "Items must apply to something.", "APPLIES_ON_NOTHING"));
    }
  } else if (!existing) {
    errors.push(userError(field("customerGets"), "Customer gets can't be blank", "BLANK"));
  }
  const items = (gets?.items ?? {}) as Record<string, unknown>;
  return { value, items: items.products ? { productIds: [] } : (existing?.items ?? { all: true }) };
};

/** DiscountCodeFreeShippingInput's `destination` (all countries or a list) and `maximumShippingPrice`. */
const readFreeShipping: ValueReader = (input, existing, field, errors) => {
  const previous = existing?.value.type === "freeShipping" ? existing.value : null;
  let destination = previous?.destination;
  const destinationInput = input.destination as { all?: boolean | null; countries?: Record<string, unknown> | null } | undefined | null;
  if (destinationInput) {
    if (destinationInput.all && destinationInput.countries) {
      errors.push(userError(field("destination"), "Only one of all or countries can be specified.", "TOO_MANY_ARGUMENTS"));
    } else if (destinationInput.all) {
      destination = { all: true };
    } else if (destinationInput.countries) {
      const add = (destinationInput.countries.add as string[] | undefined) ?? [];
      const remove = new Set((destinationInput.countries.remove as string[] | undefined) ?? []);
      const before = previous && "countries" in previous.destination ? previous.destination.countries : [];
      const countries = [...new Set([...before, ...add])].filter((c) => !remove.has(c));
      const includeRestOfWorld = Boolean(destinationInput.countries.includeRestOfWorld);
      if (!countries.length && !includeRestOfWorld)
        errors.push(userError(field("destination", "countries"), "Countries can't be blank", "BLANK"));
      destination = { countries, includeRestOfWorld };
    } else {
      errors.push(userError(field("destination"), "Destination must be all countries or a list of countries.", "MISSING_ARGUMENT"));
    }
  } else if (!existing) {
    errors.push(userError(field("destination"), "Destination can't be blank", "BLANK"));
  }
  let maximumShippingPriceCents = previous?.maximumShippingPriceCents ?? null;
  if (input.maximumShippingPrice !== undefined) {
    maximumShippingPriceCents = input.maximumShippingPrice === null ? null : parseDecimalToCents(String(input.maximumShippingPrice));
    if (maximumShippingPriceCents !== null && !(maximumShippingPriceCents > 0)) {
      errors.push(userError(field("maximumShippingPrice"), "Maximum shipping price must be greater than 0", "GREATER_THAN"));
    }
  }
  return { value: destination ? { type: "freeShipping", destination, maximumShippingPriceCents } : undefined, items: { all: true } };
};

/**
 * Validates a code discount input (2026-04 shape: eligibility in `context`) into a record, or user errors.
 * `argument` names the mutation's input argument, which Shopify puts first in every userError's `field`.
 */
function readCodeInput(
  ctx: RequestContext,
  argument: "basicCodeDiscount" | "freeShippingCodeDiscount",
  input: Record<string, unknown>,
  existing: DiscountRecord | null,
  readValue: ValueReader,
): { record?: DiscountRecord; errors: UserError[] } {
  const errors: UserError[] = [];
  const field: Field = (...path) => [argument, ...path];
  const title = (input.title as string | undefined) ?? existing?.title;
  const code = (input.code as string | undefined) ?? existing?.codes[0]?.code;
  const startsAt = input.startsAt !== undefined ? parseDate(input.startsAt) : (existing?.startsAt ?? null);
  const endsAt = input.endsAt !== undefined ? parseDate(input.endsAt) : (existing?.endsAt ?? null);

  if (!title) errors.push(userError(field("title"), "Title can't be blank", "BLANK"));
  if (!code) errors.push(userError(field("code"), "Code can't be blank", "BLANK"));
  else if (code.length > 255) errors.push(userError(field("code"), "Code is too long (maximum is 255 characters)", "TOO_LONG"));
  else if (/[\r\n]/.test(code)) errors.push(userError(field("code"), "Code cannot contain newline characters.", "INVALID"));
  else {
    const owner = ctx.shop.discounts.discountForCode(code);
    if (owner && owner.id !== existing?.id)
      errors.push(userError(field("code"), "Code must be unique. Please try a different code.", "TAKEN"));
  }
  if (startsAt === null) errors.push(userError(field("startsAt"), "Starts at can't be blank", "BLANK"));
  else if (Number.isNaN(startsAt)) errors.push(userError(field("startsAt"), "Starts at is invalid", "INVALID"));
  if (endsAt !== null && !Number.isNaN(endsAt) && startsAt !== null && endsAt <= startsAt) {
    errors.push(userError(field("endsAt"), "Ends at needs to be after starts_at", "END_DATE_BEFORE_START_DATE"));
  }

  const { value, items } = readValue(input, existing, field, errors);

  let context = existing?.context;
  const contextInput = input.context as Record<string, unknown> | undefined;
  if (contextInput) {
    const kinds = ["all", "customers", "customerSegments"].filter((k) => contextInput[k] !== undefined && contextInput[k] !== null);
    if (kinds.length !== 1) {
      errors.push(
        userError(
          field("context"),
          "Only one of all, customers or customerSegments can be specified.",
          kinds.length ? "TOO_MANY_ARGUMENTS" : "MISSING_ARGUMENT",
        ),
      );
    } else if (kinds[0] === "all") {
      context = { type: "all" };
    } else if (kinds[0] === "customers") {
      const add = ((contextInput.customers as Record<string, unknown>).add as string[] | undefined) ?? [];
      const remove = new Set(((contextInput.customers as Record<string, unknown>).remove as string[] | undefined) ?? []);
      const previous = existing?.context.type === "customers" ? existing.context.customerIds : [];
      const ids = [...new Set([...previous, ...add])].filter((id) => !remove.has(id));
      add.forEach((id, k) => {
        const parsed = parseGid(id);
        if (!parsed || parsed.type !== "Customer" || ctx.shop.data.findCustomer(parsed.id) < 0) {
          errors.push(userError(field("context", "customers", "add", String(k)), `Customer with id ${id} does not exist.`, "INVALID"));
        }
      });
      context = { type: "customers", customerIds: ids };
    } else {
      const add = ((contextInput.customerSegments as Record<string, unknown>).add as string[] | undefined) ?? [];
      add.forEach((id, k) => {
        if (!ctx.shop.segments.has(parseGid(id)?.id ?? -1)) {
          errors.push(
            userError(field("context", "customerSegments", "add", String(k)), `Segment with id ${id} does not exist.`, "INVALID"),
          );
        }
      });
      context = { type: "segments", segmentIds: add };
    }
  } else if (!existing) {
    errors.push(userError(field("context"), "Context can't be blank", "BLANK"));
  }

  const usageLimit = input.usageLimit !== undefined ? (input.usageLimit as number | null) : (existing?.usageLimit ?? null);
  if (usageLimit !== null && usageLimit <= 0)
    errors.push(userError(field("usageLimit"), "Usage limit must be greater than 0", "GREATER_THAN"));

  if (errors.length || !title || !code || startsAt === null || !value || !context) return { errors };
  const combines = (input.combinesWith ?? {}) as Record<string, boolean | undefined>;
  const minimum = input.minimumRequirement as Record<string, Record<string, unknown> | undefined> | undefined;
  const codes = existing
    ? existing.codes.map((c, k) => (k === 0 ? { ...c, code } : c))
    : [{ id: ctx.shop.nextId(), code, createdAt: ctx.now, asyncUsageCount: 0 }];
  return {
    errors,
    record: {
      id: existing?.id ?? ctx.shop.nextId(),
      title,
      codes,
      startsAt,
      endsAt: endsAt === null || Number.isNaN(endsAt) ? null : endsAt,
      usageLimit,
      appliesOncePerCustomer: (input.appliesOncePerCustomer as boolean | undefined) ?? existing?.appliesOncePerCustomer ?? false,
      combinesWith: {
        productDiscounts: combines.productDiscounts ?? existing?.combinesWith.productDiscounts ?? false,
        orderDiscounts: combines.orderDiscounts ?? existing?.combinesWith.orderDiscounts ?? false,
        shippingDiscounts: combines.shippingDiscounts ?? existing?.combinesWith.shippingDiscounts ?? false,
      },
      value,
      items: items ?? existing?.items ?? { all: true },
      context,
      minimumRequirement: minimum?.quantity
        ? { quantity: Number(minimum.quantity.greaterThanOrEqualToQuantity) }
        : minimum?.subtotal
          ? { subtotalCents: parseDecimalToCents(String(minimum.subtotal.greaterThanOrEqualToSubtotal)) }
          : (existing?.minimumRequirement ?? null),
      recurringCycleLimit: (input.recurringCycleLimit as number | undefined) ?? existing?.recurringCycleLimit ?? null,
      tags: (input.tags as string[] | undefined) ?? existing?.tags ?? [],
      createdAt: existing?.createdAt ?? ctx.now,
      updatedAt: ctx.now,
    },
  };
}

function createCodeDiscount(ctx: RequestContext, record: DiscountRecord | undefined, errors: UserError[]) {
  if (!record) return { codeDiscountNode: null, userErrors: errors };
  const controls = ctx.shop.discounts.controls;
  if (controls.answerWithoutDiscountNext > 0) {
    controls.answerWithoutDiscountNext--;
    return { codeDiscountNode: null, userErrors: [] };
  }
  ctx.shop.discounts.save(record);
  return { codeDiscountNode: discountNode(record), userErrors: [] };
}

export function discountCodeBasicCreate(ctx: RequestContext, args: Args) {
  requireScope(ctx, "write_discounts", "discountCodeBasicCreate");
  const { record, errors } = readCodeInput(
    ctx,
    "basicCodeDiscount",
    args.basicCodeDiscount as Record<string, unknown>,
    null,
    readCustomerGets,
  );
  return createCodeDiscount(ctx, record, errors);
}

export function discountCodeFreeShippingCreate(ctx: RequestContext, args: Args) {
  requireScope(ctx, "write_discounts", "discountCodeFreeShippingCreate");
  const { record, errors } = readCodeInput(
    ctx,
    "freeShippingCodeDiscount",
    args.freeShippingCodeDiscount as Record<string, unknown>,
    null,
    readFreeShipping,
  );
  return createCodeDiscount(ctx, record, errors);
}

function discountById(ctx: RequestContext, id: unknown): DiscountRecord | null {
  const parsed = parseGid(id);
  if (!parsed || parsed.type !== "DiscountCodeNode") return null;
  return ctx.shop.discounts.byId.get(parsed.id) ?? null;
}

const notFound = (id: unknown) => userError(["id"], `Discount does not exist: ${String(id)}`, "INVALID");

export function discountCodeBasicUpdate(ctx: RequestContext, args: Args) {
  requireScope(ctx, "write_discounts", "discountCodeBasicUpdate");
  const existing = discountById(ctx, args.id);
  if (!existing) return { codeDiscountNode: null, userErrors: [notFound(args.id)] };
  if (existing.value.type === "freeShipping") return { codeDiscountNode: null, userErrors: [notFound(args.id)] };
  const { record, errors } = readCodeInput(
    ctx,
    "basicCodeDiscount",
    args.basicCodeDiscount as Record<string, unknown>,
    existing,
    readCustomerGets,
  );
  if (!record) return { codeDiscountNode: null, userErrors: errors };
  ctx.shop.discounts.save(record);
  return { codeDiscountNode: discountNode(record), userErrors: [] };
}

export function discountCodeDeactivate(ctx: RequestContext, args: Args) {
  requireScope(ctx, "write_discounts", "discountCodeDeactivate");
  const discount = discountById(ctx, args.id);
  if (!discount) return { codeDiscountNode: null, userErrors: [notFound(args.id)] };
  const updated = {
    ...discount,
    endsAt: discount.endsAt !== null && discount.endsAt <= ctx.now ? discount.endsAt : ctx.now,
    updatedAt: ctx.now,
  };
  ctx.shop.discounts.save(updated);
  return { codeDiscountNode: discountNode(updated), userErrors: [] };
}

export function discountCodeActivate(ctx: RequestContext, args: Args) {
  requireScope(ctx, "write_discounts", "discountCodeActivate");
  const discount = discountById(ctx, args.id);
  if (!discount) return { codeDiscountNode: null, userErrors: [notFound(args.id)] };
  const updated = { ...discount, startsAt: Math.min(discount.startsAt, ctx.now), endsAt: null, updatedAt: ctx.now };
  ctx.shop.discounts.save(updated);
  return { codeDiscountNode: discountNode(updated), userErrors: [] };
}

export function discountCodeDelete(ctx: RequestContext, args: Args) {
  requireScope(ctx, "write_discounts", "discountCodeDelete");
  const discount = discountById(ctx, args.id);
  if (!discount) return { deletedCodeDiscountId: null, userErrors: [notFound(args.id)] };
  ctx.shop.discounts.delete(discount.id);
  return { deletedCodeDiscountId: gid("DiscountCodeNode", discount.id), userErrors: [] };
}

export const MAX_REDEEM_CODES_PER_CALL = 250;

/** Adds codes asynchronously, like Shopify: the creation is returned not done, and finishes on a later tick. */
export function discountRedeemCodeBulkAdd(ctx: RequestContext, args: Args) {
  requireScope(ctx, "write_discounts", "discountRedeemCodeBulkAdd");
  const discount = discountById(ctx, args.discountId);
  if (!discount) return { bulkCreation: null, userErrors: [userError(["discountId"], "Discount does not exist", "INVALID")] };
  const codes = ((args.codes as { code: string }[]) ?? []).map((c) => c.code);
  if (codes.length > MAX_REDEEM_CODES_PER_CALL) {
    return {
      bulkCreation: null,
      userErrors: [userError(["codes"], `Codes must contain at most ${MAX_REDEEM_CODES_PER_CALL} items`, "TOO_LONG")],
    };
  }
  if (codes.length === 0) return { bulkCreation: null, userErrors: [userError(["codes"], "Codes can't be blank", "BLANK")] };
  const creation: RedeemCodeBulkCreationRecord = {
    id: ctx.shop.nextId(),
    discountId: discount.id,
    createdAt: ctx.now,
    done: false,
    codes: codes.map((code) => ({ code, redeemCodeId: null, errors: [] })),
  };
  ctx.shop.discounts.bulkCreations.set(creation.id, creation);
  const shop = ctx.shop;
  const now = ctx.now;
  setImmediate(() => {
    const current = shop.discounts.byId.get(discount.id);
    if (current) {
      const added: RedeemCodeRecord[] = [];
      const seen = new Set<string>();
      for (const entry of creation.codes) {
        const lower = entry.code.toLowerCase();
        if (!entry.code.trim()) entry.errors.push({ field: ["code"], message: "Code can't be blank", code: "BLANK" });
        else if (shop.discounts.codeTaken(entry.code) || seen.has(lower))
          entry.errors.push({ field: ["code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" });
        else {
          const redeem = { id: shop.nextId(), code: entry.code, createdAt: now, asyncUsageCount: 0 };
          entry.redeemCodeId = redeem.id;
          added.push(redeem);
          seen.add(lower);
        }
      }
      shop.discounts.save({ ...current, codes: [...current.codes, ...added], updatedAt: now });
    }
    creation.done = true;
  });
  return { bulkCreation: creation, userErrors: [] };
}

export function codeDiscountNodeByCode(ctx: RequestContext, args: Args) {
  requireScope(ctx, "read_discounts", "codeDiscountNodeByCode");
  const discount = ctx.shop.discounts.discountForCode(String(args.code));
  return discount ? discountNode(discount) : null;
}

export function codeDiscountNode(ctx: RequestContext, args: Args) {
  requireScope(ctx, "read_discounts", "codeDiscountNode");
  const discount = discountById(ctx, args.id);
  return discount ? discountNode(discount) : null;
}
