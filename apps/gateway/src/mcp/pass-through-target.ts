import { targetAccess } from "@switchboard/snapshot";
import type { CallScope } from "../enforcement/call-scope.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";

/**
 * The upstream whose resources, prompts, completions and logs pass through on this endpoint: only
 * a single-server endpoint, and only for callers granted the whole server (tool allow- and
 * deny-lists say nothing about resources or prompts, so those callers get neither).
 */
export function passThroughTarget(
  scope: Pick<CallScope, "policy" | "principal" | "endpoint">,
): UpstreamTarget | undefined {
  const { endpoint } = scope;
  if (endpoint.kind !== "server") return undefined;
  return targetAccess(scope.policy.index, scope.principal, endpoint.ref)?.rule.mode === "all"
    ? endpoint.upstream
    : undefined;
}
