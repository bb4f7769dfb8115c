import { createHash } from "node:crypto";
import { digestAccessToken, type PolicySnapshot, type SnapshotGrant } from "@switchboard/snapshot";

/** The policy size issue 3 asks us to measure. */
export const LARGE_POLICY_SHAPE = {
  users: 10_000,
  teams: 1_000,
  servers: 500,
  toolsPerServer: 20,
  tokens: 50_000,
  teamsPerUser: 3,
  serversPerTeam: 5,
  userGrants: 20_000,
} as const;

/** A deterministic uuid-like id, so the document has the shape (and size) of a real one. */
function uuid(kind: string, index: number): string {
  const hex = createHash("sha256").update(`${kind}:${index}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function sha(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/**
 * A synthetic policy of the measured size: every user in three teams, each team granted five
 * servers (every other grant a deny-list), one in two users with a direct allow-list grant,
 * five tokens per user, 20 approved tools per server, none with sealed headers (sealing is a
 * per-server constant the size does not depend on).
 */
export function buildLargePolicy(digestKey: Buffer, version = 1): { snapshot: PolicySnapshot; firstToken: string } {
  const shape = LARGE_POLICY_SHAPE;
  const teamId = (index: number) => uuid("team", index % shape.teams);
  const serverId = (index: number) => uuid("server", index % shape.servers);
  const toolName = (index: number) => `tool_${index % shape.toolsPerServer}`;
  const firstToken = `bench-token-0`;
  const grants: SnapshotGrant[] = [];
  for (let team = 0; team < shape.teams; team++) {
    for (let slot = 0; slot < shape.serversPerTeam; slot++) {
      grants.push({
        id: uuid("team-grant", team * shape.serversPerTeam + slot),
        subject: { type: "team", id: teamId(team) },
        target: { type: "server", id: serverId(team * 7 + slot) },
        tools: slot % 2 === 0 ? { mode: "all" } : { mode: "deny", names: [toolName(team)] },
      });
    }
  }
  for (let grant = 0; grant < shape.userGrants; grant++) {
    grants.push({
      id: uuid("user-grant", grant),
      subject: { type: "user", id: uuid("user", grant % shape.users) },
      target: { type: "server", id: serverId(grant * 13) },
      tools: { mode: "allow", names: [toolName(grant), toolName(grant + 1)] },
    });
  }
  const snapshot: PolicySnapshot = {
    schemaVersion: 2,
    version,
    issuedAt: "2026-11-22T00:00:00.000Z",
    users: Array.from({ length: shape.users }, (_, index) => ({
      id: uuid("user", index),
      email: `user${index}@example.com`,
      name: `User ${index}`,
      active: true,
      teamIds: Array.from({ length: shape.teamsPerUser }, (_, slot) => teamId(index * shape.teamsPerUser + slot)),
    })),
    teams: Array.from({ length: shape.teams }, (_, index) => ({ id: teamId(index), name: `Team ${index}` })),
    virtualAccounts: [],
    tokens: Array.from({ length: shape.tokens }, (_, index) => ({
      id: uuid("token", index),
      owner: { type: "user" as const, id: uuid("user", index % shape.users) },
      digest: digestAccessToken(`bench-token-${index}`, digestKey),
      expiresAt: null,
      scope: null,
    })),
    servers: Array.from({ length: shape.servers }, (_, index) => ({
      id: serverId(index),
      slug: `server-${index}`,
      name: `Server ${index}`,
      url: `http://127.0.0.1:9/server-${index}/mcp`,
      enabled: true,
      auth: { type: "none" as const },
      tools: Array.from({ length: shape.toolsPerServer }, (_, tool) => ({
        name: toolName(tool),
        sha256: sha(`${index}:${tool}`),
      })),
    })),
    virtualServers: [],
    grants,
  };
  return { snapshot, firstToken };
}
