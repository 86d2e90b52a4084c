// Derives prisma/postgresql/schema.prisma from prisma/schema.prisma so the two providers never drift.
// Usage: node scripts/prisma-schemas.mjs [--check]
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

export function derivePostgresSchema(sqliteSchema) {
  return sqliteSchema
    .replace(
      /generator client \{[^}]*\}/,
      `generator client {
  provider   = "prisma-client-js"
  engineType = "client"
  output     = "../../node_modules/.prisma/kinship-postgresql"
}`,
    )
    .replace(
      /datasource db \{[^}]*\}/,
      `datasource db {
  provider = "postgresql"
  // Unused at run time (the driver adapter connects) but required so \`generate\` stays offline.
  url      = "postgresql://localhost:5432/kinship"
}`,
    )
    .replace(
      /^\/\/ Kinship data model\.[^\n]*\n(\/\/[^\n]*\n)*/m,
      "// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.mjs: edit that file instead.\n",
    );
}

const root = new URL("../", import.meta.url);
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const source = readFileSync(new URL("prisma/schema.prisma", root), "utf8");
  const derived = derivePostgresSchema(source);
  const target = new URL("prisma/postgresql/schema.prisma", root);
  if (process.argv.includes("--check")) {
    const current = readFileSync(target, "utf8");
    if (current !== derived) {
      console.error("prisma/postgresql/schema.prisma is stale: run node scripts/prisma-schemas.mjs");
      process.exit(1);
    }
  } else {
    mkdirSync(new URL("prisma/postgresql/", root), { recursive: true });
    writeFileSync(target, derived);
  }
}
