import { accessibleServers, isToolAllowed, namespaceToolName, serverAccess } from "@switchboard/snapshot";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import type { CallScope } from "./call-scope.js";
import type { ToolCatalog, UpstreamTool } from "./tool-catalog.js";

export type ToolsListOutcome = { tools: UpstreamTool[]; failedServers: string[] };

/**
 * The tools a caller may see: each reachable server's list filtered by the grants, renamed to
 * `<slug>__<tool>` on the aggregate endpoint. Order is deterministic (server slug, then upstream
 * order); schemas pass through untouched. An upstream that fails is left out, not fatal.
 */
export async function listVisibleTools(scope: CallScope, catalog: ToolCatalog): Promise<ToolsListOutcome> {
  const targets: UpstreamTarget[] = scope.single
    ? [scope.single]
    : accessibleServers(scope.policy.index, scope.principal)
        .map((server) => scope.policy.upstreams.get(server.id))
        .filter((target): target is UpstreamTarget => target !== undefined);
  const lists = await Promise.allSettled(
    targets.map((target) => catalog.list(scope.principal, target, scope.clientCapabilities)),
  );
  const tools: UpstreamTool[] = [];
  const failedServers: string[] = [];
  lists.forEach((outcome, position) => {
    const target = targets[position] as UpstreamTarget;
    if (outcome.status === "rejected") {
      failedServers.push(target.slug);
      return;
    }
    const access = serverAccess(scope.policy.index, scope.principal, target.serverId);
    for (const tool of outcome.value) {
      if (!isToolAllowed(access, tool.name)) continue;
      tools.push(scope.single ? tool : { ...tool, name: namespaceToolName(target.slug, tool.name) });
    }
  });
  return { tools, failedServers };
}
