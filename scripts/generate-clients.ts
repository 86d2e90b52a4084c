// Generates both Prisma clients: the default one (SQLite, also the source of the app's types) and the
// PostgreSQL one in node_modules/.prisma/kinship-postgresql. A client generated for one provider
// throws with the other's driver adapter, so the app picks the matching one at run time.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { filesFingerprint } from "./files-fingerprint";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prisma = path.join(root, "node_modules/.bin/prisma");

// What the two clients are made from and what they hold: the schemas, Prisma's version and the schema copy each
// generated client keeps. While it matches the stamp written after the last generate, generating again would
// change nothing, and `npm test` skips the two Prisma CLI starts (6 s before anything else could start).
const INPUTS = [
  "prisma/schema.prisma",
  "prisma/postgresql/schema.prisma",
  "node_modules/prisma/package.json",
  "node_modules/@prisma/client/package.json",
  "node_modules/.prisma/client/schema.prisma",
  "node_modules/.prisma/kinship-postgresql/schema.prisma",
];
const STAMP = path.join(root, "node_modules/.prisma/kinship-clients.sha256");

const fingerprint = () => filesFingerprint(INPUTS, root);

export function generateClients({ force = false } = {}): void {
  execFileSync(process.execPath, [path.join(root, "scripts/prisma-schemas.mjs"), "--check"], { stdio: "inherit" });
  const before = fingerprint();
  if (!force && before !== null && existsSync(STAMP) && readFileSync(STAMP, "utf8") === before) return;
  for (const url of ["file:./prisma/dev.sqlite", "postgresql://localhost:5432/kinship"]) {
    execFileSync(prisma, ["generate"], { cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: "pipe" });
  }
  const after = fingerprint();
  if (after !== null) writeFileSync(STAMP, after);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  generateClients({ force: true });
  console.log("Generated Prisma clients for SQLite and PostgreSQL");
}
