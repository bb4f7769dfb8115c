export * from "./generated/client.js";
export * from "./migrate-database.js";
export * from "./prisma-client.js";
