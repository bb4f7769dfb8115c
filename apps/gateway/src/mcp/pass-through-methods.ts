/**
 * Methods relayed as they are on a single-server endpoint to callers granted the server broadly
 * (see pass-through-target.ts). Resource updates come back on the agent session's GET stream,
 * relayed from its bound upstream session's own stream.
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
