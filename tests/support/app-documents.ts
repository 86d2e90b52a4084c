import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface AppDocument {
  file: string;
  /** The text between gql` and `, as the app sends it. */
  source: string;
}

/** Every gql`…` document in app/, with the file it came from (the schema test and the emulator conformance test share this). */
export function appDocuments(root = "app"): AppDocument[] {
  const found: AppDocument[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx)$/.test(entry.name)) {
        const text = readFileSync(full, "utf8");
        for (const match of text.matchAll(/\bgql`([\s\S]*?)`/g)) found.push({ file: full, source: match[1] });
      }
    }
  };
  walk(root);
  return found;
}
