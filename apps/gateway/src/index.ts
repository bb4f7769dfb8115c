export * from "./config/gateway-config.js";
export * from "./start-gateway.js";
