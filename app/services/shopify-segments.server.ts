/**
 * The Settings page's "Segments in Shopify" card: what Kinship's segments are and whether Shopify has them,
 * and its two actions (create or update them all, remove them all). Decision 025.
 */
import { z } from "zod";
import { translate, type Locale } from "../i18n";
import { adminClientForShop } from "../jobs/admin-for-shop.server";
import { DefinitionConflictError, desiredSegments, removeKinshipSegments, syncKinshipSegments } from "../jobs/kinship-segments.server";
import { getShopSettings } from "../models/shop-settings.server";
import type { FormActionData } from "./lifecycle-settings.server";

export type SegmentStatus = "inShopify" | "pending" | "notCreated";

export async function shopifySegmentsView(shop: string, locale: Locale) {
  const [desired, settings] = await Promise.all([desiredSegments(shop, locale), getShopSettings(shop)]);
  const stored = settings.segments;
  return {
    created: Object.keys(stored).length > 0,
    rows: desired.map((d) => {
      const current = Object.hasOwn(stored, d.key) ? stored[d.key] : undefined;
      // Names are written in the shop's language, which may not be the admin's: the query says whether it is in step.
      const status: SegmentStatus = !current ? "notCreated" : current.query === d.query ? "inShopify" : "pending";
      return { key: d.key, name: current?.name ?? d.name, query: d.query, status };
    }),
  };
}

const operationSchema = z.object({ operation: z.enum(["sync", "remove"]) });

/** Runs the card's action; the status is 400 for a malformed form, 409 for a conflicting definition, 502 when Shopify refuses. */
export async function shopifySegmentsAction(
  shop: string,
  form: FormData,
  locale: Locale,
): Promise<{ status: number; body: FormActionData }> {
  const intent = "shopifySegments";
  const parsed = operationSchema.safeParse({ operation: form.get("operation") });
  if (!parsed.success) return { status: 400, body: { intent, ok: false, message: translate(locale, "form.invalid") } };
  try {
    const client = await adminClientForShop(shop);
    if (parsed.data.operation === "remove") {
      const { removed } = await removeKinshipSegments(shop, client);
      return { status: 200, body: { intent, ok: true, message: translate(locale, "settings.segmentsRemoved", { removed }) } };
    }
    const result = await syncKinshipSegments(shop, client);
    return {
      status: 200,
      body: {
        intent,
        ok: true,
        message: translate(locale, "settings.segmentsSynced", {
          created: result.created,
          updated: result.updated,
          removed: result.removed,
        }),
      },
    };
  } catch (error) {
    if (error instanceof DefinitionConflictError) {
      return { status: 409, body: { intent, ok: false, message: translate(locale, "settings.segmentsConflict", { keys: error.keys }) } };
    }
    console.error("Kinship segments: Shopify refused", shop, error);
    return {
      status: 502,
      body: { intent, ok: false, message: translate(locale, "settings.segmentsFailed", { error: (error as Error).message.slice(0, 300) }) },
    };
  }
}
