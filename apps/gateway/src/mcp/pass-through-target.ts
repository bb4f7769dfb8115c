import { targetAccess } from "@switchboard/snapshot";
import type { CallScope } from "../enforcement/call-scope.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";

/**
 * The upstream whose resources, prompts, completions and logs pass through on this endpoint: only
 * a single-server endpoint, and only for callers granted the server broadly — every tool, or every
 * tool but a deny-list. An allow-list grants named tools and nothing else, so those callers get
 * no resources or prompts.
 */
export function passThroughTarget(
  scope: Pick<CallScope, "policy" | "principal" | "endpoint">,
): UpstreamTarget | undefined {
  const { endpoint } = scope;
  if (endpoint.kind !== "server") return undefined;
  const access = targetAccess(scope.policy.index, scope.principal, endpoint.ref);
  return access && access.rule.mode !== "allow" ? endpoint.upstream : undefined;
}
