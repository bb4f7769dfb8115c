/**
 * Methods relayed to the servers a caller is granted broadly (see feature-servers.ts): as they are
 * on a single-server endpoint, merged and renamed on `/mcp` (see aggregate-features.ts). Resource
 * updates come back on the agent session's GET stream, relayed from the bound upstream sessions.
 */
export const PASS_THROUGH_METHODS: ReadonlySet<string> = new Set([
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
