/** Shopify global ids: `gid://shopify/<Type>/<number>`. */
export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

export interface ParsedGid {
  type: string;
  id: number;
}

export function parseGid(value: unknown): ParsedGid | null {
  if (typeof value !== "string") return null;
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
  if (!match) return null;
  return { type: match[1], id: Number(match[2]) };
}

/** Accepts a gid of the given type or a bare numeric id (REST style). */
export function numericId(value: unknown, type: string): number | null {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  const parsed = parseGid(value);
  return parsed && parsed.type === type ? parsed.id : null;
}
