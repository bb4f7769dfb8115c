export * from "./child-process.js";
export * from "./fixture-upstream.js";
export * from "./free-port.js";
export * from "./server-everything.js";
export * from "./services.js";
