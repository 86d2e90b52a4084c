import { describe, expect, it } from "vitest";
import { excerpt, firstResponseBadge, orderLabel, type Translate } from "../../../app/i18n/feedback-text";
import { formatDuration } from "../../../app/formatting";

// Echoes the key and values, so the tests see which message and numbers were chosen.
const t: Translate = (key, values = {}) => `${String(key)}${Object.keys(values).length ? ` ${JSON.stringify(values)}` : ""}`;
const HOUR = 3_600_000;
const duration = (ms: number) => formatDuration(ms, "en");

describe("firstResponseBadge", () => {
  it("shows time left while due and time over once overdue", () => {
    expect(firstResponseBadge({ status: "due", elapsedMs: 20 * HOUR, remainingMs: 4 * HOUR }, false, t, duration)).toEqual({
      tone: "attention",
      label: 'feedback.status.due {"time":"4 hr"}',
    });
    expect(firstResponseBadge({ status: "overdue", elapsedMs: 30 * HOUR, remainingMs: -6 * HOUR }, false, t, duration).tone).toBe(
      "critical",
    );
    expect(firstResponseBadge({ status: "overdue", elapsedMs: 30 * HOUR, remainingMs: -6 * HOUR }, false, t, duration).label).toContain(
      '"time":"6 hr"',
    );
    expect(firstResponseBadge({ status: "missed", elapsedMs: 30 * HOUR, remainingMs: -6 * HOUR }, false, t, duration).tone).toBe("warning");
    expect(firstResponseBadge({ status: "met", elapsedMs: HOUR, remainingMs: 23 * HOUR }, true, t, duration).tone).toBe("success");
  });
});

describe("excerpt", () => {
  it("flattens whitespace and cuts on a character, never inside a surrogate pair", () => {
    expect(excerpt(null)).toBeNull();
    expect(excerpt("  two\n\nlines  ")).toBe("two lines");
    const emoji = "🙂".repeat(200);
    const cut = excerpt(emoji, 10)!;
    expect(Array.from(cut)).toHaveLength(10);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("keeps markup as characters (rendering escapes it)", () => {
    expect(excerpt("<script>alert(1)</script>")).toBe("<script>alert(1)</script>");
  });
});

describe("orderLabel", () => {
  it("prefers the order's name, else its number", () => {
    expect(orderLabel("gid://shopify/Order/5551234", "#1042")).toBe("#1042");
    expect(orderLabel("gid://shopify/Order/5551234", null)).toBe("#5551234");
  });
});
