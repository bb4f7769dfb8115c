import type { PolicyIndex, ToolAccess } from "./policy-index.js";
import type { SnapshotServer } from "./schema.js";

export type Principal = { userId: string; tokenId: string };

export type AuthenticationResult =
  | { ok: true; principal: Principal }
  | { ok: false; reason: "unknown_token" | "expired_token" | "inactive_user" };

/** Authenticates a token by its digest. Unknown, expired and deactivated all deny. */
export function authenticateTokenDigest(index: PolicyIndex, digest: string, nowMs: number): AuthenticationResult {
  const token = index.tokensByDigest.get(digest);
  if (!token) return { ok: false, reason: "unknown_token" };
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= nowMs) return { ok: false, reason: "expired_token" };
  const user = index.usersById.get(token.userId);
  if (!user?.active) return { ok: false, reason: "inactive_user" };
  return { ok: true, principal: { userId: token.userId, tokenId: token.id } };
}

/** Servers the principal holds any grant on, in a stable order (by slug). */
export function accessibleServers(index: PolicyIndex, principal: Principal): SnapshotServer[] {
  const byServer = index.accessByUser.get(principal.userId);
  if (!byServer) return [];
  const servers: SnapshotServer[] = [];
  for (const serverId of byServer.keys()) {
    const server = index.serversById.get(serverId);
    if (server) servers.push(server);
  }
  return servers.sort((a, b) => a.slug.localeCompare(b.slug));
}

export function serverAccess(index: PolicyIndex, principal: Principal, serverId: string): ToolAccess | undefined {
  return index.accessByUser.get(principal.userId)?.get(serverId);
}

export function isToolAllowed(access: ToolAccess | undefined, toolName: string): boolean {
  if (!access) return false;
  return access.allTools || access.tools.has(toolName);
}

export type ToolCallDecision = { allowed: true; grantIds: string[] } | { allowed: false; reason: string };

/**
 * The one decision both planes use: may this principal call this tool on this server? Deny by
 * default; the reason is for admins and logs, never for the caller.
 */
export function decideToolCall(
  index: PolicyIndex,
  principal: Principal,
  serverId: string,
  toolName: string,
): ToolCallDecision {
  const access = serverAccess(index, principal, serverId);
  if (!access) return { allowed: false, reason: "no grant on this server" };
  if (!isToolAllowed(access, toolName)) return { allowed: false, reason: "tool outside the grants' allow-lists" };
  return { allowed: true, grantIds: access.grantIds };
}
