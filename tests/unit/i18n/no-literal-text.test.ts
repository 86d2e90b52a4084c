/**
 * Every word a merchant reads comes from the catalogs: the JSX of the admin routes and components holds no
 * literal text. Parsed with the TypeScript compiler, so comments, class names and URLs are never mistaken
 * for text, and text hidden in a prop (`title="…"`, `{ content: "…" }`) is found as well as text between tags.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOTS = ["app/routes", "app/components"];

/** Props and object keys whose string value is shown to the merchant (Polaris and HTML). */
const USER_FACING = new Set([
  "title",
  "label",
  "helpText",
  "placeholder",
  "content",
  "error",
  "emptyStateText",
  "accessibilityLabel",
  "aria-label",
  "alt",
  "prefix",
  "suffix",
  "message",
  "heading",
  "description",
  "tooltip",
  "subtitle",
  "primaryAction",
  "text",
  "singular",
  "plural",
]);

/** Text is something with a letter in it: "—", "·", "%" and numbers are layout, not words. */
const hasWords = (text: string) => /\p{L}/u.test(text);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx$/.test(entry) ? [full.split(path.sep).join("/")] : [];
  });
}

/** A string literal or a template's fixed parts, when they hold words. */
function literalText(node: ts.Node | undefined): string | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return hasWords(node.text) ? node.text : null;
  if (ts.isTemplateExpression(node)) {
    const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" ");
    return hasWords(parts) ? parts : null;
  }
  if (ts.isParenthesizedExpression(node)) return literalText(node.expression);
  if (ts.isConditionalExpression(node)) return literalText(node.whenTrue) ?? literalText(node.whenFalse);
  if (
    ts.isBinaryExpression(node) &&
    (node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
      node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
      node.operatorToken.kind === ts.SyntaxKind.PlusToken)
  ) {
    return literalText(node.left) ?? literalText(node.right);
  }
  return null;
}

function propertyName(name: ts.PropertyName | ts.JsxAttributeName): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText();
}

/** Each literal a merchant would read in one file, as "line: text". */
export function literalTexts(file: string, source = readFileSync(file, "utf8")): string[] {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, text: string) => {
    const { line } = tree.getLineAndCharacterOfPosition(node.getStart(tree));
    found.push(`${file}:${line + 1}: ${JSON.stringify(text.trim())}`);
  };
  // Object keys count only inside JSX (props, options, actions), not in loaders' data or style objects.
  let jsxDepth = 0;
  const visit = (node: ts.Node) => {
    const inJsx = ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node);
    if (inJsx) jsxDepth++;
    if (ts.isJsxText(node) && hasWords(node.text)) report(node, node.text);
    if (ts.isJsxExpression(node) && node.parent && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      const text = literalText(node.expression);
      if (text) report(node, text);
    }
    if (ts.isJsxAttribute(node) && USER_FACING.has(propertyName(node.name)) && node.initializer) {
      const init = node.initializer;
      const text = ts.isStringLiteral(init) ? literalText(init) : ts.isJsxExpression(init) ? literalText(init.expression) : null;
      if (text) report(node, text);
    }
    if (jsxDepth > 0 && ts.isPropertyAssignment(node) && USER_FACING.has(propertyName(node.name))) {
      const text = literalText(node.initializer);
      if (text) report(node, text);
    }
    ts.forEachChild(node, visit);
    if (inJsx) jsxDepth--;
  };
  visit(tree);
  return found;
}

describe("no literal user-facing text in the admin's JSX", () => {
  const files = ROOTS.flatMap(sourceFiles);

  it("finds the files it checks", () => {
    expect(files).toContain("app/routes/app.segments.tsx");
    expect(files).toContain("app/components/feedback/FollowUpQueue.tsx");
  });

  it("the scanner sees text between tags, in props, in option objects and in templates", () => {
    const sample = [
      "const a = <Text>Hello</Text>;",
      'const b = <TextField label="Name" helpText={"Your name"} placeholder={`e.g. ${x}`} />;',
      'const c = <Select options={[{ label: "First", value: "first" }]} />;',
      'const d = <Page secondaryActions={[{ content: "Open", url: "/x" }]}>{"Literal child"}</Page>;',
      // Not text: translated calls, class names, URLs, punctuation, keys.
      'const e = <Text as="p" tone="subdued" variant="bodySm">{t("x.y")} — {count} · {"%"}</Text>;',
      'const f = <Link url="/app/customers" removeUnderline>{t("nav.customers")}</Link>;',
      'const g = { label: "not in JSX: a loader\'s data" };',
    ].join("\n");
    const texts = literalTexts("sample.tsx", sample).map((line) => line.replace(/^sample\.tsx:\d+: /, ""));
    expect(texts).toEqual(['"Hello"', '"Name"', '"Your name"', '"e.g."', '"First"', '"Open"', '"Literal child"']);
  });

  it("every route and component takes its words from the catalogs", () => {
    const literals = files.flatMap((file) => literalTexts(file));
    expect(literals).toEqual([]);
  });
});
