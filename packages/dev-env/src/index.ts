export * from "./embedded-postgres.js";
export * from "./tcp-probe.js";
export * from "./throwaway-nats.js";
