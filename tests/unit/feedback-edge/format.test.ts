import { describe, expect, it } from "vitest";
import { excerpt, firstResponseBadge, formatDuration, orderLabel, type Translate } from "../../../app/components/feedback/format";

// Echoes the key and values, so the tests see which message and numbers were chosen.
const t: Translate = (key, values = {}) => `${String(key)}${Object.keys(values).length ? ` ${JSON.stringify(values)}` : ""}`;
const MIN = 60_000;
const HOUR = 60 * MIN;

describe("formatDuration", () => {
  it("uses minutes below an hour, hours below two days, days after, rounding down", () => {
    expect(formatDuration(0, t)).toBe('feedback.duration.minutes {"n":0}');
    expect(formatDuration(59 * MIN + 59_000, t)).toBe('feedback.duration.minutes {"n":59}');
    expect(formatDuration(HOUR, t)).toBe('feedback.duration.hours {"n":1}');
    expect(formatDuration(24 * HOUR, t)).toBe('feedback.duration.hours {"n":24}');
    expect(formatDuration(48 * HOUR - 1, t)).toBe('feedback.duration.hours {"n":47}');
    expect(formatDuration(48 * HOUR, t)).toBe('feedback.duration.days {"n":2}');
    expect(formatDuration(-5 * MIN, t)).toBe('feedback.duration.minutes {"n":0}');
  });
});

describe("firstResponseBadge", () => {
  it("shows time left while due and time over once overdue", () => {
    expect(firstResponseBadge({ status: "due", elapsedMs: 20 * HOUR, remainingMs: 4 * HOUR }, false, t)).toEqual({
      tone: "attention",
      label: 'feedback.status.due {"time":"feedback.duration.hours {\\"n\\":4}"}',
    });
    expect(firstResponseBadge({ status: "overdue", elapsedMs: 30 * HOUR, remainingMs: -6 * HOUR }, false, t).tone).toBe("critical");
    expect(firstResponseBadge({ status: "overdue", elapsedMs: 30 * HOUR, remainingMs: -6 * HOUR }, false, t).label).toContain('\\"n\\":6');
    expect(firstResponseBadge({ status: "missed", elapsedMs: 30 * HOUR, remainingMs: -6 * HOUR }, false, t).tone).toBe("warning");
    expect(firstResponseBadge({ status: "met", elapsedMs: HOUR, remainingMs: 23 * HOUR }, true, t).tone).toBe("success");
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
