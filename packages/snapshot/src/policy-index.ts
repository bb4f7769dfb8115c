import type {
  GrantTools,
  PolicySnapshot,
  SnapshotGrant,
  SnapshotServer,
  SnapshotTeam,
  SnapshotToken,
  SnapshotUser,
  SnapshotVirtualAccount,
  SnapshotVirtualServer,
  TargetRef,
  VirtualTool,
} from "./schema.js";

/** Who a request acts for: a user or a virtual account, and the token it presented. */
export type Principal = { kind: "user" | "virtual-account"; id: string; tokenId: string };

/** `server:<id>` or `virtual-server:<id>`. */
export type TargetKey = string;

/** What a principal may use on one target, merged over all the grants that reach them. */
export type TargetAccess = { grants: SnapshotGrant[]; rule: MergedRule };

/** The union of several grants' tool rules: all tools, only `names`, or all but `names`. */
export type MergedRule = { mode: "all" } | { mode: "allow"; names: Set<string> } | { mode: "deny"; names: Set<string> };

/**
 * Lookup tables built once when a snapshot is activated, so every decision on the hot path is a
 * few map reads. A principal's merged access is computed on first use and memoised for the life
 * of the snapshot (snapshots are immutable), so activation stays linear in the snapshot's size.
 */
export type PolicyIndex = {
  version: number;
  sha256: string;
  tokensByDigest: Map<string, SnapshotToken>;
  usersById: Map<string, SnapshotUser>;
  teamsById: Map<string, SnapshotTeam>;
  virtualAccountsById: Map<string, SnapshotVirtualAccount>;
  serversById: Map<string, SnapshotServer>;
  serversBySlug: Map<string, SnapshotServer>;
  virtualServersById: Map<string, SnapshotVirtualServer>;
  virtualServersBySlug: Map<string, SnapshotVirtualServer>;
  /** serverId → approved tool name → pinned sha256. */
  pinsByServer: Map<string, Map<string, string>>;
  /** virtualServerId → virtual tool name → its definition. */
  virtualToolsByServer: Map<string, Map<string, VirtualTool>>;
  /** `user:<id>`, `team:<id>` or `virtual-account:<id>` → that subject's grants. */
  grantsBySubject: Map<string, SnapshotGrant[]>;
  /** principal key → target key → access; filled lazily. */
  accessCache: Map<string, Map<TargetKey, TargetAccess>>;
};

export function targetKey(target: TargetRef): TargetKey {
  return `${target.type}:${target.id}`;
}

export function buildPolicyIndex(snapshot: PolicySnapshot, sha256: string): PolicyIndex {
  const grantsBySubject = new Map<string, SnapshotGrant[]>();
  for (const grant of snapshot.grants) {
    const key = `${grant.subject.type}:${grant.subject.id}`;
    const list = grantsBySubject.get(key);
    if (list) list.push(grant);
    else grantsBySubject.set(key, [grant]);
  }
  return {
    version: snapshot.version,
    sha256,
    tokensByDigest: new Map(snapshot.tokens.map((token) => [token.digest, token])),
    usersById: new Map(snapshot.users.map((user) => [user.id, user])),
    teamsById: new Map(snapshot.teams.map((team) => [team.id, team])),
    virtualAccountsById: new Map(snapshot.virtualAccounts.map((account) => [account.id, account])),
    serversById: new Map(snapshot.servers.map((server) => [server.id, server])),
    serversBySlug: new Map(snapshot.servers.map((server) => [server.slug, server])),
    virtualServersById: new Map(snapshot.virtualServers.map((server) => [server.id, server])),
    virtualServersBySlug: new Map(snapshot.virtualServers.map((server) => [server.slug, server])),
    pinsByServer: new Map(
      snapshot.servers.map((server) => [server.id, new Map(server.tools.map((tool) => [tool.name, tool.sha256]))]),
    ),
    virtualToolsByServer: new Map(
      snapshot.virtualServers.map((server) => [server.id, new Map(server.tools.map((tool) => [tool.name, tool]))]),
    ),
    grantsBySubject,
    accessCache: new Map(),
  };
}

/**
 * The principal's access per target: their own grants plus, for a user, their teams' grants.
 * Grants on targets that do not exist in the snapshot are ignored.
 */
export function principalAccess(index: PolicyIndex, principal: Pick<Principal, "kind" | "id">) {
  const key = `${principal.kind}:${principal.id}`;
  const cached = index.accessCache.get(key);
  if (cached) return cached;
  const grants = [...(index.grantsBySubject.get(key) ?? [])];
  if (principal.kind === "user") {
    for (const teamId of index.usersById.get(principal.id)?.teamIds ?? []) {
      if (index.teamsById.has(teamId)) grants.push(...(index.grantsBySubject.get(`team:${teamId}`) ?? []));
    }
  }
  const byTarget = new Map<TargetKey, TargetAccess>();
  for (const grant of grants) {
    const exists =
      grant.target.type === "server"
        ? index.serversById.has(grant.target.id)
        : index.virtualServersById.has(grant.target.id);
    if (!exists) continue;
    const target = targetKey(grant.target);
    const existing = byTarget.get(target);
    byTarget.set(target, {
      grants: [...(existing?.grants ?? []), grant],
      rule: existing ? unionRules(existing.rule, grant.tools) : toMergedRule(grant.tools),
    });
  }
  index.accessCache.set(key, byTarget);
  return byTarget;
}

function toMergedRule(tools: GrantTools): MergedRule {
  return tools.mode === "all" ? tools : { mode: tools.mode, names: new Set(tools.names) };
}

/** A tool is covered by the union when any grant covers it. */
function unionRules(merged: MergedRule, tools: GrantTools): MergedRule {
  if (merged.mode === "all" || tools.mode === "all") return { mode: "all" };
  if (merged.mode === "allow" && tools.mode === "allow")
    return { mode: "allow", names: new Set([...merged.names, ...tools.names]) };
  if (merged.mode === "deny" && tools.mode === "deny") {
    const other = new Set(tools.names);
    return { mode: "deny", names: new Set([...merged.names].filter((name) => other.has(name))) };
  }
  const allowed = merged.mode === "allow" ? merged.names : new Set(tools.names);
  const denied = merged.mode === "deny" ? merged.names : new Set(tools.names);
  return { mode: "deny", names: new Set([...denied].filter((name) => !allowed.has(name))) };
}

export function ruleCovers(rule: MergedRule, toolName: string): boolean {
  if (rule.mode === "all") return true;
  return rule.mode === "allow" ? rule.names.has(toolName) : !rule.names.has(toolName);
}
