export { freeTcpPort as freePort } from "@switchboard/dev-env";
export * from "./child-process.js";
export * from "./conformance-upstream.js";
export * from "./fixture-upstream.js";
export * from "./server-everything.js";
export * from "./services.js";
export * from "./upstream-tool-pins.js";
