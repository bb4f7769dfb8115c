export * from "./generated/client.js";
export * from "./prisma-client.js";
