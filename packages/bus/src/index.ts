export * from "./in-process-bus.js";
export * from "./nats-bus.js";
export * from "./policy-bus.js";
