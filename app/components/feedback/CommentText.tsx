import { Text } from "@shopify/polaris";

/**
 * A customer's comment, shown as text. It is untrusted input stored verbatim ("<script>" included):
 * React renders it as a text node, line breaks are kept by CSS, and nothing here may ever use
 * dangerouslySetInnerHTML.
 */
export function CommentText({ text, empty }: { text: string | null; empty: string }) {
  if (!text) {
    return (
      <Text as="p" tone="subdued">
        {empty}
      </Text>
    );
  }
  return (
    <Text as="p" breakWord>
      <span style={{ whiteSpace: "pre-wrap" }}>{text}</span>
    </Text>
  );
}
