import { accessibleVirtualServers, type PolicyIndex, type ScopedPrincipal, targetAccess } from "@switchboard/snapshot";

/**
 * Whether the principal may still use anything on this server, directly or through a virtual
 * server: an answer to a request the server relayed is delivered only then.
 */
export function canReachServer(index: PolicyIndex, principal: ScopedPrincipal, serverId: string): boolean {
  if (!index.serversById.get(serverId)?.enabled) return false;
  if (targetAccess(index, principal, { type: "server", id: serverId })) return true;
  return accessibleVirtualServers(index, principal).some((virtualServer) =>
    virtualServer.tools.some((tool) => tool.serverId === serverId),
  );
}
