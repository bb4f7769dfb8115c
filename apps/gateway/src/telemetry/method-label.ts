/**
 * The MCP methods metrics name one by one. Callers choose the method string, so anything else is
 * counted as "other": a label per made-up method would grow the registry without bound.
 */
const MCP_METHODS = new Set([
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "resources/subscribe",
  "resources/unsubscribe",
  "prompts/list",
  "prompts/get",
  "completion/complete",
  "logging/setLevel",
]);

export function methodLabel(method: string): string {
  return MCP_METHODS.has(method) ? method : "other";
}
