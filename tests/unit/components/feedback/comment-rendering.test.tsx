import { renderToString } from "react-dom/server";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { describe, expect, it } from "vitest";
import { CommentText } from "../../../../app/components/feedback/CommentText";
import { FollowUpQueue } from "../../../../app/components/feedback/FollowUpQueue";

const ATTACK = `<script>window.pwned=1</script><img src=x onerror="alert(1)">`;

function render(node: JSX.Element): string {
  return renderToString(<AppProvider i18n={en}>{node}</AppProvider>);
}

describe("customer comments are rendered as text, never HTML", () => {
  it("CommentText escapes markup and keeps line breaks", () => {
    const html = render(<CommentText text={`${ATTACK}\nsecond line`} empty="No comment." />);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;window.pwned=1&lt;/script&gt;");
    expect(html).toContain("white-space:pre-wrap");
    expect(html).toContain("second line");
  });

  it("CommentText shows the placeholder for no comment", () => {
    expect(render(<CommentText text={null} empty="No comment." />)).toContain("No comment.");
  });

  it("the follow-up queue escapes comments and customer names", () => {
    const html = render(
      <FollowUpQueue
        help=""
        truncated={null}
        rows={[
          {
            id: "f1",
            customer: `<b onmouseover="x()">Mallory</b>`,
            score: 1,
            reasons: "Delivery",
            comment: ATTACK,
            value: "€300.00",
            waiting: "5 h",
            badge: { tone: "attention", label: "Due in 19 h" },
          },
        ]}
        sort="value"
        show="open"
        itemUrl={(id) => `/app/feedback/${id}`}
        onChange={() => {}}
      />,
    );
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b onmouseover");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("&lt;b onmouseover=");
    expect(html).toContain('href="/app/feedback/f1"');
  });
});
