import { accessibleServers, type Principal, serverAccess } from "@switchboard/snapshot";
import type { ActivePolicy } from "../snapshot/active-policy.js";

/**
 * A short description of which tools policy lets this caller see on this endpoint. When a new
 * snapshot changes it, the caller's tool list changed even if no upstream did.
 */
export function toolViewSignature(policy: ActivePolicy, principal: Principal, target: string | null): string {
  const servers = accessibleServers(policy.index, principal).filter(
    (server) => target === null || server.slug === target,
  );
  return servers
    .map((server) => {
      const access = serverAccess(policy.index, principal, server.id);
      if (!access) return "";
      return `${server.slug}:${access.allTools ? "*" : [...access.tools].sort().join(",")}`;
    })
    .join("|");
}
