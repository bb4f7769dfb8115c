import { PASS_THROUGH_METHODS } from "../mcp/pass-through-methods.js";

/**
 * The MCP methods metrics name one by one. Callers choose the method string, so anything else is
 * counted as "other": a label per made-up method would grow the registry without bound.
 */
const MCP_METHODS = new Set(["initialize", "ping", "tools/list", "tools/call", ...PASS_THROUGH_METHODS]);

export function methodLabel(method: string): string {
  return MCP_METHODS.has(method) ? method : "other";
}
