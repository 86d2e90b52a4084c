import { createHash } from "node:crypto";
import { gid, parseGid } from "../ids";
import type { ShopData } from "./shop-data";

export interface MetafieldRecord {
  id: number;
  ownerId: string;
  ownerType: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: number;
  updatedAt: number;
}

export interface MetafieldDefinitionRecord {
  id: number;
  ownerType: string;
  namespace: string;
  key: string;
  name: string;
  description: string | null;
  type: string;
  createdAt: number;
  pinnedPosition: number | null;
  /** Validation options (`choices`, `min`, `max`…) as given to metafieldDefinitionCreate/Update; none when absent. */
  validations?: { name: string; value: string }[];
  analyticsQueryable?: boolean;
}

/** Standard definitions the emulator knows how to enable (Shopify has many more). */
export const STANDARD_DEFINITIONS: Record<string, Omit<MetafieldDefinitionRecord, "id" | "createdAt" | "pinnedPosition">> = {
  "CUSTOMER:facts.birth_date": {
    ownerType: "CUSTOMER",
    namespace: "facts",
    key: "birth_date",
    name: "Birthday",
    description: "The customer's date of birth.",
    type: "date",
  },
};

const OWNER_TYPES: Record<string, string> = {
  Customer: "CUSTOMER",
  Order: "ORDER",
  Shop: "SHOP",
  Product: "PRODUCT",
  DiscountCodeNode: "DISCOUNT",
};

export function ownerTypeOf(ownerId: string): string | null {
  const parsed = parseGid(ownerId);
  return parsed ? (OWNER_TYPES[parsed.type] ?? null) : null;
}

export function compareDigest(record: MetafieldRecord): string {
  return createHash("sha256").update(`${record.id}:${record.value}:${record.updatedAt}`).digest("hex");
}

const OVERLAY_ID_BASE = 31_000_000_000_000;

/**
 * Metafields written through the API, over the generated `facts.birth_date` ones (which come from the customer
 * columns and are never stored twice).
 */
export class MetafieldStore {
  private readonly byOwner = new Map<string, Map<string, MetafieldRecord>>();
  private readonly byId = new Map<number, MetafieldRecord>();
  private nextId: number;

  constructor(
    private readonly data: ShopData,
    salt: number,
  ) {
    this.nextId = OVERLAY_ID_BASE + salt * 10_000_000 + 1;
  }

  get(ownerId: string, namespace: string, key: string): MetafieldRecord | null {
    const stored = this.byOwner.get(ownerId)?.get(`${namespace}.${key}`);
    if (stored) return stored;
    if (namespace === "facts" && key === "birth_date") return this.generatedBirthday(ownerId);
    return null;
  }

  list(ownerId: string, namespace?: string | null, keys?: readonly string[] | null): MetafieldRecord[] {
    const result = new Map<string, MetafieldRecord>();
    const birthday = this.generatedBirthday(ownerId);
    if (birthday) result.set("facts.birth_date", birthday);
    for (const [fullKey, record] of this.byOwner.get(ownerId) ?? []) result.set(fullKey, record);
    return [...result.values()]
      .filter((m) => !namespace || m.namespace === namespace)
      .filter((m) => !keys || keys.includes(`${m.namespace}.${m.key}`))
      .sort((a, b) => a.id - b.id);
  }

  findById(id: number): MetafieldRecord | null {
    const stored = this.byId.get(id);
    if (stored) return stored;
    const customerIndex = id - this.data.ids.birthdayMetafield(0);
    if (customerIndex >= 0 && customerIndex < this.data.customerCount) {
      return this.get(this.data.customerGid(customerIndex), "facts", "birth_date");
    }
    return null;
  }

  /** Creates or updates; keeps id and createdAt of an existing metafield. */
  set(input: Omit<MetafieldRecord, "id" | "createdAt" | "updatedAt">, now: number): MetafieldRecord {
    const existing = this.get(input.ownerId, input.namespace, input.key);
    const record: MetafieldRecord = {
      ...input,
      id: existing?.id ?? this.nextId++,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    const owner = this.byOwner.get(input.ownerId) ?? new Map<string, MetafieldRecord>();
    owner.set(`${input.namespace}.${input.key}`, record);
    this.byOwner.set(input.ownerId, owner);
    this.byId.set(record.id, record);
    return record;
  }

  /** Every stored metafield of one namespace and key, whoever owns it (metafieldDefinitionDelete with its metafields). */
  withKey(ownerType: string, namespace: string, key: string): MetafieldRecord[] {
    return [...this.byId.values()].filter((m) => m.ownerType === ownerType && m.namespace === namespace && m.key === key);
  }

  /** Removes a metafield written through the API (a generated birthday is cleared on the customer record). */
  delete(ownerId: string, namespace: string, key: string): boolean {
    const owner = this.byOwner.get(ownerId);
    const record = owner?.get(`${namespace}.${key}`);
    if (!owner || !record) return false;
    owner.delete(`${namespace}.${key}`);
    this.byId.delete(record.id);
    return true;
  }

  private generatedBirthday(ownerId: string): MetafieldRecord | null {
    const parsed = parseGid(ownerId);
    if (!parsed || parsed.type !== "Customer") return null;
    const index = this.data.findCustomer(parsed.id);
    if (index < 0) return null;
    const customer = this.data.customer(index);
    if (!customer.birthDate) return null;
    return {
      id: this.data.ids.birthdayMetafield(index),
      ownerId: gid("Customer", customer.id),
      ownerType: "CUSTOMER",
      namespace: "facts",
      key: "birth_date",
      type: "date",
      value: customer.birthDate,
      createdAt: customer.createdAt,
      updatedAt: customer.createdAt,
    };
  }
}
