import {
  accessibleServers,
  callableTools,
  namespaceToolName,
  type UpstreamTool as PinnedUpstream,
} from "@switchboard/snapshot";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import type { CallScope } from "./call-scope.js";
import type { ToolCatalog, UpstreamTool } from "./tool-catalog.js";

export type ToolsListOutcome = { tools: UpstreamTool[]; failedServers: string[] };

/**
 * The tools a caller may see on this endpoint: the upstreams' current lists, keeping only tools the
 * snapshot lets this caller call AND whose live definition still has the approved digest (a tool
 * changed upstream since approval is hidden). Names are `<slug>__<tool>` on `/mcp`, upstream names
 * on `/mcp/{slug}`, curated names (and descriptions) on `/mcp/v/{slug}`. Order is deterministic;
 * schemas pass through untouched. An upstream that fails is left out, not fatal.
 */
export async function listVisibleTools(scope: CallScope, catalog: ToolCatalog): Promise<ToolsListOutcome> {
  const { endpoint, policy, principal } = scope;
  if (endpoint.kind === "virtual") return listVirtualTools(scope, catalog);
  const servers =
    endpoint.kind === "server"
      ? [endpoint.upstream]
      : accessibleServers(policy.index, principal)
          .map((server) => policy.upstreams.get(server.id))
          .filter((target): target is UpstreamTarget => target !== undefined);
  const lists = await listAll(scope, catalog, servers);
  const tools: UpstreamTool[] = [];
  for (const [target, upstreamTools] of lists.listed) {
    const callable = callableTools(policy.index, principal, { type: "server", id: target.serverId });
    for (const tool of upstreamTools) {
      if (!matchesPin(catalog, tool, callable.get(tool.name))) continue;
      tools.push(
        endpoint.kind === "server"
          ? tool
          : { ...tool, name: namespaceToolName(target.slug, tool.name, scope.separator) },
      );
    }
  }
  return { tools, failedServers: lists.failedServers };
}

async function listVirtualTools(scope: CallScope, catalog: ToolCatalog): Promise<ToolsListOutcome> {
  const { endpoint, policy, principal } = scope;
  if (endpoint.kind !== "virtual") return { tools: [], failedServers: [] };
  const callable = callableTools(policy.index, principal, endpoint.ref);
  const servers = [...new Set([...callable.values()].map((tool) => tool.serverId))]
    .map((serverId) => policy.upstreams.get(serverId))
    .filter((target): target is UpstreamTarget => target !== undefined);
  const lists = await listAll(scope, catalog, servers);
  const byServer = new Map([...lists.listed].map(([target, tools]) => [target.serverId, tools]));
  const tools: UpstreamTool[] = [];
  for (const virtualTool of endpoint.virtualServer.tools) {
    const pinned = callable.get(virtualTool.name);
    const tool = pinned && byServer.get(pinned.serverId)?.find((candidate) => candidate.name === pinned.tool);
    if (!tool || !matchesPin(catalog, tool, pinned)) continue;
    tools.push({ ...tool, name: virtualTool.name, description: virtualTool.description ?? tool.description });
  }
  return { tools, failedServers: lists.failedServers };
}

async function listAll(scope: CallScope, catalog: ToolCatalog, servers: UpstreamTarget[]) {
  const outcomes = await Promise.allSettled(
    servers.map((target) =>
      catalog.list(scope.principal, target, scope.clientCapabilities, scope.bound[target.serverId]),
    ),
  );
  const listed = new Map<UpstreamTarget, UpstreamTool[]>();
  const failedServers: string[] = [];
  outcomes.forEach((outcome, position) => {
    const target = servers[position] as UpstreamTarget;
    if (outcome.status === "fulfilled") listed.set(target, outcome.value);
    else failedServers.push(target.slug);
  });
  return { listed, failedServers };
}

export function matchesPin(catalog: ToolCatalog, tool: UpstreamTool, pinned: PinnedUpstream | undefined): boolean {
  return pinned !== undefined && catalog.digestOf(tool) === pinned.sha256;
}
