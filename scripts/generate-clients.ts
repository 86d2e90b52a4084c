// Generates both Prisma clients: the default one (SQLite, also the source of the app's types) and the
// PostgreSQL one in node_modules/.prisma/kinship-postgresql. A client generated for one provider
// throws with the other's driver adapter, so the app picks the matching one at run time.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prisma = path.join(root, "node_modules/.bin/prisma");

export function generateClients(): void {
  execFileSync(process.execPath, [path.join(root, "scripts/prisma-schemas.mjs"), "--check"], { stdio: "inherit" });
  for (const url of ["file:./prisma/dev.sqlite", "postgresql://localhost:5432/kinship"]) {
    execFileSync(prisma, ["generate"], { cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: "pipe" });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  generateClients();
  console.log("Generated Prisma clients for SQLite and PostgreSQL");
}
