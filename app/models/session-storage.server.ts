import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import db from "../db.server";

/** Where the Shopify library keeps sessions (the Session table). */
export const sessionStorage = new PrismaSessionStorage(db);
