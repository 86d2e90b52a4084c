import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { authErrorResponse } from "../shopify/auth-errors.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  try {
    await authenticate.admin(request);
  } catch (thrown) {
    if (thrown instanceof Response) throw thrown;
    throw authErrorResponse(thrown, request) ?? thrown;
  }
  return null;
};
