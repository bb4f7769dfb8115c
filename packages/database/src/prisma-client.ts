import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.js";

/** A Prisma client over the pg driver adapter: no native query engine, the pg pool does the I/O. */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

export type PrismaTransactionClient = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** Lets a service run either on its own or inside a caller's transaction. */
export type PrismaClientOrTransaction = PrismaClient | PrismaTransactionClient;
