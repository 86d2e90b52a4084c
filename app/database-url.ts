// One place that interprets DATABASE_URL, shared by prisma.config.ts, db.server.ts and the scripts.
// SQLite is the embedded default; any postgres:// or postgresql:// URL selects PostgreSQL.

export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

export type DatabaseKind = "sqlite" | "postgresql";

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

export function databaseKind(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (/^file:/i.test(url)) return "sqlite";
  throw new Error(`DATABASE_URL must start with "file:" (SQLite) or "postgresql://" (PostgreSQL); got "${url.split(":")[0]}:…"`);
}

export function schemaPath(kind: DatabaseKind): string {
  return kind === "sqlite" ? "prisma/schema.prisma" : "prisma/postgresql/schema.prisma";
}

export function migrationsPath(kind: DatabaseKind): string {
  return kind === "sqlite" ? "prisma/migrations" : "prisma/postgresql/migrations";
}
