import type { PolicySnapshot, SnapshotServer, SnapshotToken, SnapshotUser } from "./schema.js";

/** What a principal may use on one server: every tool, or the union of the listed ones. */
export type ToolAccess =
  | { allTools: true; grantIds: string[] }
  | { allTools: false; tools: Set<string>; grantIds: string[] };

/**
 * Lookup tables built once when a snapshot is activated, so every decision on the hot path is a
 * few map reads and no scan.
 */
export type PolicyIndex = {
  version: number;
  sha256: string;
  tokensByDigest: Map<string, SnapshotToken>;
  usersById: Map<string, SnapshotUser>;
  serversById: Map<string, SnapshotServer>;
  serversBySlug: Map<string, SnapshotServer>;
  /** userId → serverId → access, merged over all the user's grants. */
  accessByUser: Map<string, Map<string, ToolAccess>>;
};

export function buildPolicyIndex(snapshot: PolicySnapshot, sha256: string): PolicyIndex {
  const serversById = new Map(snapshot.servers.map((server) => [server.id, server]));
  const accessByUser = new Map<string, Map<string, ToolAccess>>();
  for (const grant of snapshot.grants) {
    if (!serversById.has(grant.target.id)) continue;
    let byServer = accessByUser.get(grant.subject.id);
    if (!byServer) {
      byServer = new Map();
      accessByUser.set(grant.subject.id, byServer);
    }
    byServer.set(grant.target.id, mergeAccess(byServer.get(grant.target.id), grant.id, grant.tools));
  }
  return {
    version: snapshot.version,
    sha256,
    tokensByDigest: new Map(snapshot.tokens.map((token) => [token.digest, token])),
    usersById: new Map(snapshot.users.map((user) => [user.id, user])),
    serversById,
    serversBySlug: new Map(snapshot.servers.map((server) => [server.slug, server])),
    accessByUser,
  };
}

function mergeAccess(existing: ToolAccess | undefined, grantId: string, tools: string[] | null): ToolAccess {
  const grantIds = [...(existing?.grantIds ?? []), grantId];
  if (tools === null || existing?.allTools) return { allTools: true, grantIds };
  return { allTools: false, tools: new Set([...(existing?.tools ?? []), ...tools]), grantIds };
}
