/** Shared look of the lifecycle groups (charts, badges) and the empty-state illustration. */
import type { LifecycleGroup } from "../retention/segments/lifecycle";

export const LIFECYCLE_COLORS: Record<LifecycleGroup, string> = {
  new: "#2c6ecb",
  loyal: "#008060",
  regular: "#6a46c1",
  lapsed: "#d72c0d",
};

export const LIFECYCLE_BADGE_TONE: Record<LifecycleGroup, "info" | "success" | "magic" | "critical"> = {
  new: "info",
  loyal: "success",
  regular: "magic",
  lapsed: "critical",
};

// A small inline illustration: EmptyState needs an image, and Shopify's CDN is not always reachable.
export const EMPTY_STATE_IMAGE =
  "data:image/svg+xml;charset=utf-8," +
  encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160">` +
      `<rect x="13" y="20" width="200" height="120" rx="12" fill="#f1f2f4"/>` +
      `<rect x="43" y="90" width="22" height="30" rx="3" fill="#b5d7f7"/>` +
      `<rect x="78" y="70" width="22" height="50" rx="3" fill="#8ec1ef"/>` +
      `<rect x="113" y="55" width="22" height="65" rx="3" fill="#5ea3e6"/>` +
      `<rect x="148" y="40" width="22" height="80" rx="3" fill="#2c6ecb"/>` +
      `</svg>`,
  );
