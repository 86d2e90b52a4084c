// The layers of app/ (README, "Architecture"): each module imports only from its own layer or below,
// the import graph has no run-time cycle, Prisma is reached only through models/ and Shopify only through
// shopify/ (or the library's own configuration in shopify.server.ts).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const LAYERS: Array<{ name: string; holds: RegExp }> = [
  { name: "core", holds: /^app\/retention\// },
  { name: "shared", holds: /^app\/(i18n\/|forms\/|formatting\.ts$|env\.server\.ts$|database-url\.ts$)/ },
  { name: "edges", holds: /^app\/(models\/|shopify\/|sync\/|db\.server\.ts$)/ },
  { name: "orchestration", holds: /^app\/(jobs\/|webhooks\/|services\/|shopify\.server\.ts$)/ },
  { name: "views", holds: /^app\/components\// },
  { name: "routes", holds: /^app\/(routes\/|root\.tsx$|entry\.server\.tsx$)/ },
];

/** Views render what routes give them: they may use only the core and the shared helpers. */
const VIEWS_MAY_USE = new Set(["core", "shared", "views"]);

interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sources(dir = "app"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

const files = sources();
const known = new Set(files);

function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith(".")) return spec;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base]) if (known.has(candidate)) return candidate;
  return null;
}

const edges: ImportEdge[] = files.flatMap((from) => {
  const text = readFileSync(from, "utf8");
  const found: ImportEdge[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;
  for (const m of text.matchAll(pattern)) {
    const to = resolve(from, m[3] ?? m[4]);
    if (to) found.push({ from, to, typeOnly: Boolean(m[2]) });
  }
  return found;
});

const layerOf = (file: string) => LAYERS.findIndex((layer) => layer.holds.test(file));

describe("the layers of app/", () => {
  it("place every module of app/ in a layer", () => {
    expect(files.filter((file) => layerOf(file) < 0)).toEqual([]);
  });

  it("import only from their own layer or below", () => {
    const upward = edges
      .filter((e) => known.has(e.to) && layerOf(e.to) > layerOf(e.from))
      .map((e) => `${e.from} (${LAYERS[layerOf(e.from)].name}) → ${e.to} (${LAYERS[layerOf(e.to)].name})`);
    expect(upward).toEqual([]);
  });

  it("keep views free of data access: components/ use only the core and the shared helpers", () => {
    const reaching = edges
      .filter((e) => LAYERS[layerOf(e.from)]?.name === "views" && known.has(e.to) && !e.typeOnly)
      .filter((e) => !VIEWS_MAY_USE.has(LAYERS[layerOf(e.to)].name))
      .map((e) => `${e.from} → ${e.to}`);
    expect(reaching).toEqual([]);
  });

  it("reach Prisma only through models/", () => {
    const outside = edges
      .filter((e) => (e.to === "app/db.server.ts" || (e.to === "@prisma/client" && !e.typeOnly)) && !e.from.startsWith("app/models/"))
      .filter((e) => e.from !== "app/db.server.ts")
      .map((e) => `${e.from} → ${e.to}`);
    expect(outside).toEqual([]);
  });

  it("keep the edges apart: models/ never call Shopify, shopify/ never touches the database", () => {
    const crossing = edges
      .filter(
        (e) =>
          (e.from.startsWith("app/models/") && e.to.startsWith("app/shopify")) ||
          (e.from.startsWith("app/shopify/") && (e.to.startsWith("app/models/") || e.to === "app/db.server.ts")),
      )
      .map((e) => `${e.from} → ${e.to}`);
    expect(crossing).toEqual([]);
  });

  it("read and write Shop.settings and Shop.modelState only through their own modules", () => {
    const owners = new Set(["app/models/shop-settings.server.ts", "app/models/model-state.server.ts"]);
    // A parse of either column, or a write of a serialised value into it, anywhere else.
    const handling = /(JSON\.parse|parse\w*)\([^;]*?(settings|modelState)|(settings|modelState)\s*:\s*(JSON\.stringify|"\{)/i;
    const elsewhere = files.filter((file) => !owners.has(file) && handling.test(readFileSync(file, "utf8")));
    expect(elsewhere).toEqual([]);
    expect(handling.test("const state = JSON.parse(shopRow.modelState) as StoredModelState;")).toBe(true);
  });

  // Type-only imports count too: a kind reads the day's run through rewards/day-run.ts, which imports no kind.
  it("form no import cycle, not even through type-only imports", () => {
    const next = new Map<string, string[]>();
    for (const e of edges) if (known.has(e.to)) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      state.set(file, "open");
      for (const to of next.get(file) ?? []) {
        if (state.get(to) === "open") cycles.push([...trail.slice(trail.indexOf(to)), to].join(" → "));
        else if (!state.has(to)) visit(to, [...trail, to]);
      }
      state.set(file, "done");
    };
    for (const file of files) if (!state.has(file)) visit(file, [file]);
    expect(cycles).toEqual([]);
  });

  it("would notice an upward import", () => {
    expect(layerOf("app/retention/score.ts")).toBeLessThan(layerOf("app/models/shop.server.ts"));
    expect(edges.some((e) => e.from === "app/routes/webhooks.tsx" && e.to === "app/webhooks/process.server.ts")).toBe(true);
  });
});

describe("the test layout", () => {
  // Test folders mirror app/ (decision 015); these few hold what has no room in app/.
  const OWN_FOLDERS = new Set(["emulator", "hostile", "prisma", "extensions"]);
  const appRooms = new Set(
    readdirSync("app", { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name),
  );

  it.each(["tests/unit", "tests/integration"])("%s mirrors app/ and keeps helpers in tests/support/", (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const strayFolders = entries.filter((e) => e.isDirectory() && !appRooms.has(e.name) && !OWN_FOLDERS.has(e.name)).map((e) => e.name);
    expect(strayFolders).toEqual([]);
    const helpers = sources(dir).filter((file) => !/\.test\.tsx?$/.test(file));
    expect(helpers).toEqual([]);
  });
});
