import { decideToolCall, namespaceToolName, serverAccess, splitNamespacedToolName } from "@switchboard/snapshot";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import type { CallScope } from "./call-scope.js";
import type { ToolCatalog } from "./tool-catalog.js";

export type ResolvedToolCall = { target: UpstreamTarget; upstreamName: string };

/**
 * Maps the name a caller sent to (upstream, upstream tool name) and decides whether the call is
 * allowed. Undefined means "no such tool" — whether it is hidden by policy or does not exist, so
 * the caller cannot tell the two apart.
 */
export async function resolveToolCall(
  scope: CallScope,
  catalog: ToolCatalog,
  requestedName: string,
): Promise<ResolvedToolCall | undefined> {
  const located = locate(scope, requestedName);
  if (!located) return undefined;
  const { target, matches } = located;
  const access = serverAccess(scope.policy.index, scope.principal, target.serverId);
  if (!access) return undefined;
  // An allow-list alone settles a name it does not cover, without the upstream: a hidden tool is
  // then refused as fast as a missing one, so timing does not reveal that it exists.
  if (!access.allTools && ![...access.tools].some(matches)) return undefined;
  const tool = await catalog.find(scope.principal, target, scope.clientCapabilities, (candidate) =>
    matches(candidate.name),
  );
  if (!tool) return undefined;
  const decision = decideToolCall(scope.policy.index, scope.principal, target.serverId, tool.name);
  return decision.allowed ? { target, upstreamName: tool.name } : undefined;
}

function locate(scope: CallScope, requestedName: string) {
  if (scope.single) return { target: scope.single, matches: (name: string) => name === requestedName };
  const split = splitNamespacedToolName(requestedName);
  if (!split) return undefined;
  const server = scope.policy.index.serversBySlug.get(split.serverSlug);
  const target = server && scope.policy.upstreams.get(server.id);
  if (!target) return undefined;
  return { target, matches: (name: string) => namespaceToolName(target.slug, name) === requestedName };
}
