import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { exportShopData } from "../models/shop-data.server";

/**
 * Settings → Export: everything Kinship stores for the shop as one JSON file, streamed (the page fetches
 * it with the session token and saves it; a 200,000-customer export never sits in memory).
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const day = new Date().toISOString().slice(0, 10);
  const name = `kinship-${session.shop.replace(/\.myshopify\.com$/, "").replace(/[^a-z0-9-]/gi, "")}-${day}.json`;
  return new Response(exportShopData(session.shop), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
};
