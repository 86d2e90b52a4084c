// `npm run setup`: generate the Prisma clients, fetch the Admin schema the emulator serves, and bring
// the configured database up to date.
import { databaseUrl } from "../app/database-url";
import { loadDotEnv } from "./dotenv";
import { ensureAdminSchema } from "./admin-schema";
import { generateClients } from "./generate-clients";
import { migrate } from "./migrate";

loadDotEnv();
generateClients();
ensureAdminSchema();
await migrate(databaseUrl());
console.log(`Database ready: ${databaseUrl().replace(/\/\/[^@]*@/, "//***@")}`);
