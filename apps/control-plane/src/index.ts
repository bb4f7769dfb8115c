export * from "./config/control-plane-config.js";
export * from "./start-control-plane.js";
