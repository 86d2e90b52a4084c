// `npm run setup`: generate the Prisma clients and bring the configured database up to date.
import { databaseUrl } from "../app/database-url";
import { loadDotEnv } from "./dotenv";
import { generateClients } from "./generate-clients";
import { migrate } from "./migrate";

loadDotEnv();
generateClients();
await migrate(databaseUrl());
console.log(`Database ready: ${databaseUrl().replace(/\/\/[^@]*@/, "//***@")}`);
