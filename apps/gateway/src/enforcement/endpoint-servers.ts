import { accessibleServers, callableTools } from "@switchboard/snapshot";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import type { CallScope } from "./call-scope.js";

/** The upstream servers an endpoint reaches for this caller, in a stable order. */
export function endpointServers(scope: Pick<CallScope, "policy" | "principal" | "endpoint">): UpstreamTarget[] {
  const { endpoint, policy, principal } = scope;
  if (endpoint.kind === "server") return [endpoint.upstream];
  const serverIds =
    endpoint.kind === "aggregate"
      ? accessibleServers(policy.index, principal).map((server) => server.id)
      : [...new Set([...callableTools(policy.index, principal, endpoint.ref).values()].map((tool) => tool.serverId))];
  return serverIds
    .map((serverId) => policy.upstreams.get(serverId))
    .filter((target): target is UpstreamTarget => target !== undefined);
}
