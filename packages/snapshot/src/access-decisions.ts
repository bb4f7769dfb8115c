import {
  type PolicyIndex,
  type Principal,
  principalAccess,
  ruleCovers,
  type TargetAccess,
  targetKey,
} from "./policy-index.js";
import type { SnapshotServer, SnapshotVirtualServer, TargetRef } from "./schema.js";

/** A principal with what its token limits it to (null: no limit beyond the owner's grants). */
export type ScopedPrincipal = Principal & { scope: ReadonlySet<string> | null };

export type AuthenticationResult =
  | { ok: true; principal: ScopedPrincipal }
  | { ok: false; reason: "unknown_token" | "expired_token" | "inactive_owner" };

/** Authenticates a token by its digest. Unknown, expired and deactivated owners all deny. */
export function authenticateTokenDigest(index: PolicyIndex, digest: string, nowMs: number): AuthenticationResult {
  const token = index.tokensByDigest.get(digest);
  if (!token) return { ok: false, reason: "unknown_token" };
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= nowMs) return { ok: false, reason: "expired_token" };
  const owner =
    token.owner.type === "user" ? index.usersById.get(token.owner.id) : index.virtualAccountsById.get(token.owner.id);
  if (!owner?.active) return { ok: false, reason: "inactive_owner" };
  return {
    ok: true,
    principal: {
      kind: token.owner.type,
      id: token.owner.id,
      tokenId: token.id,
      scope: token.scope ? new Set(token.scope.map(targetKey)) : null,
    },
  };
}

/** The principal's access to one target, after the token's scope; undefined when it has none. */
export function targetAccess(
  index: PolicyIndex,
  principal: ScopedPrincipal,
  target: TargetRef,
): TargetAccess | undefined {
  const key = targetKey(target);
  if (principal.scope && !principal.scope.has(key)) return undefined;
  return principalAccess(index, principal).get(key);
}

/** Enabled servers the principal may use at least one tool of, by slug. */
export function accessibleServers(index: PolicyIndex, principal: ScopedPrincipal): SnapshotServer[] {
  const servers: SnapshotServer[] = [];
  for (const key of principalAccess(index, principal).keys()) {
    if (!key.startsWith("server:")) continue;
    const server = index.serversById.get(key.slice("server:".length));
    if (server?.enabled && (!principal.scope || principal.scope.has(key))) servers.push(server);
  }
  return servers.sort((a, b) => a.slug.localeCompare(b.slug));
}

/** Virtual servers the principal holds a grant on, by slug. */
export function accessibleVirtualServers(index: PolicyIndex, principal: ScopedPrincipal): SnapshotVirtualServer[] {
  const servers: SnapshotVirtualServer[] = [];
  for (const key of principalAccess(index, principal).keys()) {
    if (!key.startsWith("virtual-server:")) continue;
    const server = index.virtualServersById.get(key.slice("virtual-server:".length));
    if (server && (!principal.scope || principal.scope.has(key))) servers.push(server);
  }
  return servers.sort((a, b) => a.slug.localeCompare(b.slug));
}

export type DenyReason =
  | "unknown_target"
  | "server_disabled"
  | "outside_token_scope"
  | "no_grant"
  | "not_in_allow_list"
  | "in_deny_list"
  | "unknown_virtual_tool"
  | "tool_not_approved";

/** The upstream tool a decision resolves to, with the digest its definition must have. */
export type UpstreamTool = { serverId: string; tool: string; sha256: string };

export type ToolDecision =
  | { allowed: true; grantIds: string[]; upstream: UpstreamTool }
  | { allowed: false; reason: DenyReason; grantIds: string[] };

/**
 * The one decision both planes use: may this principal call this tool on this target? Deny by
 * default. For a virtual server, `toolName` is the virtual name and the underlying server must be
 * enabled and the tool approved there. The reason is for admins (explain) and logs, never for the
 * caller, who sees every denial as an unknown tool.
 */
export function decideToolCall(
  index: PolicyIndex,
  principal: ScopedPrincipal,
  target: TargetRef,
  toolName: string,
): ToolDecision {
  const exists = target.type === "server" ? index.serversById.has(target.id) : index.virtualServersById.has(target.id);
  if (!exists) return { allowed: false, reason: "unknown_target", grantIds: [] };
  if (principal.scope && !principal.scope.has(targetKey(target))) {
    return { allowed: false, reason: "outside_token_scope", grantIds: [] };
  }
  const access = principalAccess(index, principal).get(targetKey(target));
  if (!access) return { allowed: false, reason: "no_grant", grantIds: [] };
  if (!ruleCovers(access.rule, toolName)) {
    const reason = access.rule.mode === "deny" ? "in_deny_list" : "not_in_allow_list";
    return { allowed: false, reason, grantIds: access.grants.map((grant) => grant.id) };
  }
  const grantIds = coveringGrants(access, toolName);
  let upstream: { serverId: string; tool: string };
  if (target.type === "server") {
    upstream = { serverId: target.id, tool: toolName };
  } else {
    const virtualTool = index.virtualToolsByServer.get(target.id)?.get(toolName);
    if (!virtualTool) return { allowed: false, reason: "unknown_virtual_tool", grantIds };
    upstream = { serverId: virtualTool.serverId, tool: virtualTool.tool };
  }
  if (!index.serversById.get(upstream.serverId)?.enabled)
    return { allowed: false, reason: "server_disabled", grantIds };
  const sha256 = index.pinsByServer.get(upstream.serverId)?.get(upstream.tool);
  if (!sha256) return { allowed: false, reason: "tool_not_approved", grantIds };
  return { allowed: true, grantIds, upstream: { ...upstream, sha256 } };
}

/** The grants that on their own cover the tool: the ones an admin must change to take it away. */
function coveringGrants(access: TargetAccess, toolName: string): string[] {
  return access.grants
    .filter((grant) => {
      const tools = grant.tools;
      if (tools.mode === "all") return true;
      return tools.mode === "allow" ? tools.names.includes(toolName) : !tools.names.includes(toolName);
    })
    .map((grant) => grant.id);
}

/**
 * Every tool the principal may call on a target, as names agents use there (upstream names for a
 * server, virtual names for a virtual server), each with the upstream tool it resolves to.
 */
export function callableTools(
  index: PolicyIndex,
  principal: ScopedPrincipal,
  target: TargetRef,
): Map<string, UpstreamTool> {
  const callable = new Map<string, UpstreamTool>();
  const candidates =
    target.type === "server"
      ? index.pinsByServer.get(target.id)?.keys()
      : index.virtualToolsByServer.get(target.id)?.keys();
  for (const name of candidates ?? []) {
    const decision = decideToolCall(index, principal, target, name);
    if (decision.allowed) callable.set(name, decision.upstream);
  }
  return callable;
}
