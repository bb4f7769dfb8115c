import { decideToolCall, namespaceToolName, splitNamespacedToolName, type TargetRef } from "@switchboard/snapshot";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import type { CallScope } from "./call-scope.js";
import type { ToolCatalog } from "./tool-catalog.js";
import { matchesPin } from "./visible-tools.js";

export type ResolvedToolCall = { target: UpstreamTarget; upstreamName: string };

/**
 * Maps the name a caller sent to (upstream, upstream tool name) and decides whether the call is
 * allowed: the snapshot must allow it (grants, token scope, approval) and the upstream's live
 * definition must still have the pinned digest. Undefined means "no such tool" — hidden by policy,
 * changed since approval or nonexistent alike, so the caller cannot tell them apart. Policy is
 * decided in memory first, so a refused name never costs an upstream round trip.
 */
export async function resolveToolCall(
  scope: CallScope,
  catalog: ToolCatalog,
  requestedName: string,
): Promise<ResolvedToolCall | undefined> {
  const located = locate(scope, requestedName);
  if (!located) return undefined;
  const decision = decideToolCall(scope.policy.index, scope.principal, located.ref, located.name);
  if (!decision.allowed) return undefined;
  const target = scope.policy.upstreams.get(decision.upstream.serverId);
  if (!target) return undefined;
  const tool = await catalog.find(
    scope.principal,
    target,
    scope.clientCapabilities,
    (candidate) => candidate.name === decision.upstream.tool,
    scope.bound[target.serverId],
  );
  if (!tool || !matchesPin(catalog, tool, decision.upstream)) return undefined;
  return { target, upstreamName: tool.name };
}

/** The target and the tool's name there: on `/mcp`, the server from the prefix and the pinned name it renames. */
function locate(scope: CallScope, requestedName: string): { ref: TargetRef; name: string } | undefined {
  const { endpoint, policy } = scope;
  if (endpoint.kind !== "aggregate") return { ref: endpoint.ref, name: requestedName };
  const split = splitNamespacedToolName(requestedName, scope.separator);
  const server = split && policy.index.serversBySlug.get(split.serverSlug);
  if (!split || !server) return undefined;
  const pins = policy.index.pinsByServer.get(server.id);
  const ref = { type: "server" as const, id: server.id };
  if (pins?.has(split.rest) && namespaceToolName(server.slug, split.rest, scope.separator) === requestedName) {
    return { ref, name: split.rest };
  }
  for (const name of pins?.keys() ?? []) {
    if (namespaceToolName(server.slug, name, scope.separator) === requestedName) return { ref, name };
  }
  return undefined;
}
