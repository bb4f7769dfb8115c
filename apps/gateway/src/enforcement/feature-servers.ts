import { accessibleServers, targetAccess } from "@switchboard/snapshot";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import type { CallScope } from "./call-scope.js";

/**
 * The servers whose resources, prompts, completions and logs reach the caller on this endpoint:
 * those granted broadly — every tool, or every tool but a deny-list. An allow-list grants named
 * tools and nothing else, so it brings no resources or prompts; virtual servers carry tools only.
 */
export function featureServers(scope: Pick<CallScope, "policy" | "principal" | "endpoint">): UpstreamTarget[] {
  const { endpoint, policy, principal } = scope;
  if (endpoint.kind === "virtual") return [];
  const candidates =
    endpoint.kind === "server"
      ? [endpoint.upstream]
      : accessibleServers(policy.index, principal)
          .map((server) => policy.upstreams.get(server.id))
          .filter((target): target is UpstreamTarget => target !== undefined);
  return candidates.filter((target) => {
    const access = targetAccess(policy.index, principal, { type: "server", id: target.serverId });
    return access !== undefined && access.rule.mode !== "allow";
  });
}
