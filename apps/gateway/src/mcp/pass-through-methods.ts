/**
 * Methods relayed as they are on a single-server endpoint, to callers whose grant covers the whole
 * server (tool allow-lists say nothing about resources or prompts, so those callers get neither).
 * Subscribing is relayed, but `subscribe` is not advertised: the upstream's updates arrive on its
 * own event stream, which is not relayed yet.
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
