import { describe, expect, it } from "vitest";
import {
  accessibleServers,
  accessibleVirtualServers,
  authenticateTokenDigest,
  callableTools,
  decideToolCall,
  type ScopedPrincipal,
} from "./access-decisions.js";
import { buildPolicyIndex } from "./policy-index.js";
import type { PolicySnapshot } from "./schema.js";

const pin = (char: string) => char.repeat(64);
const server = (id: string, slug: string, tools: string[], enabled = true) => ({
  id,
  slug,
  name: slug,
  url: `http://127.0.0.1:1/${slug}`,
  enabled,
  auth: { type: "none" as const },
  tools: tools.map((name) => ({ name, sha256: pin("e") })),
});

const snapshot: PolicySnapshot = {
  schemaVersion: 2,
  version: 3,
  issuedAt: "2026-11-22T12:00:00.000Z",
  users: [
    { id: "alice", email: "a@x", name: "A", active: true, teamIds: ["platform"] },
    { id: "bob", email: "b@x", name: "B", active: true, teamIds: [] },
    { id: "carol", email: "c@x", name: "C", active: false, teamIds: [] },
  ],
  teams: [{ id: "platform", name: "Platform" }],
  virtualAccounts: [{ id: "ci-bot", name: "CI", teamId: "platform", active: true }],
  tokens: [
    { id: "t-alice", owner: { type: "user", id: "alice" }, digest: pin("a"), expiresAt: null, scope: null },
    {
      id: "t-bob",
      owner: { type: "user", id: "bob" },
      digest: pin("b"),
      expiresAt: "2026-01-01T00:00:00.000Z",
      scope: null,
    },
    { id: "t-carol", owner: { type: "user", id: "carol" }, digest: pin("c"), expiresAt: null, scope: null },
    {
      id: "t-bot",
      owner: { type: "virtual-account", id: "ci-bot" },
      digest: pin("d"),
      expiresAt: null,
      scope: [{ type: "virtual-server", id: "v1" }],
    },
  ],
  servers: [
    server("s1", "github", ["create_issue", "delete_repo"]),
    server("s2", "everything", ["echo", "add", "get-env"]),
    server("s3", "off", ["echo"], false),
  ],
  virtualServers: [
    {
      id: "v1",
      slug: "triage",
      name: "Triage",
      tools: [
        { name: "file_issue", serverId: "s1", tool: "create_issue", description: "File an issue" },
        { name: "say", serverId: "s2", tool: "echo", description: null },
        { name: "unapproved", serverId: "s2", tool: "not-pinned", description: null },
      ],
    },
  ],
  grants: [
    {
      id: "g1",
      subject: { type: "user", id: "alice" },
      target: { type: "server", id: "s2" },
      tools: { mode: "allow", names: ["echo"] },
    },
    {
      id: "g2",
      subject: { type: "team", id: "platform" },
      target: { type: "server", id: "s1" },
      tools: { mode: "deny", names: ["delete_repo"] },
    },
    {
      id: "g3",
      subject: { type: "user", id: "alice" },
      target: { type: "server", id: "s2" },
      tools: { mode: "allow", names: ["add"] },
    },
    { id: "g4", subject: { type: "user", id: "alice" }, target: { type: "server", id: "s3" }, tools: { mode: "all" } },
    {
      id: "g5",
      subject: { type: "virtual-account", id: "ci-bot" },
      target: { type: "virtual-server", id: "v1" },
      tools: { mode: "all" },
    },
    {
      id: "g6",
      subject: { type: "virtual-account", id: "ci-bot" },
      target: { type: "server", id: "s2" },
      tools: { mode: "all" },
    },
  ],
};
const index = buildPolicyIndex(snapshot, "f".repeat(64));
const now = Date.parse("2026-11-22T12:00:00.000Z");
const alice: ScopedPrincipal = { kind: "user", id: "alice", tokenId: "t-alice", scope: null };
const bot: ScopedPrincipal = {
  kind: "virtual-account",
  id: "ci-bot",
  tokenId: "t-bot",
  scope: new Set(["virtual-server:v1"]),
};

describe("access decisions", () => {
  it("authenticates known, unexpired tokens of active owners only", () => {
    expect(authenticateTokenDigest(index, pin("a"), now)).toEqual({ ok: true, principal: alice });
    expect(authenticateTokenDigest(index, pin("d"), now)).toEqual({ ok: true, principal: bot });
    expect(authenticateTokenDigest(index, pin("b"), now)).toEqual({ ok: false, reason: "expired_token" });
    expect(authenticateTokenDigest(index, pin("c"), now)).toEqual({ ok: false, reason: "inactive_owner" });
    expect(authenticateTokenDigest(index, pin("9"), now)).toEqual({ ok: false, reason: "unknown_token" });
  });

  it("unions a user's own and their teams' grants; allow-lists add up, deny-lists take away", () => {
    expect(decideToolCall(index, alice, { type: "server", id: "s2" }, "echo")).toEqual({
      allowed: true,
      grantIds: ["g1"],
      upstream: { serverId: "s2", tool: "echo", sha256: pin("e") },
    });
    expect(decideToolCall(index, alice, { type: "server", id: "s2" }, "add")).toMatchObject({ allowed: true });
    expect(decideToolCall(index, alice, { type: "server", id: "s2" }, "get-env")).toEqual({
      allowed: false,
      reason: "not_in_allow_list",
      grantIds: ["g1", "g3"],
    });
    expect(decideToolCall(index, alice, { type: "server", id: "s1" }, "create_issue")).toMatchObject({
      allowed: true,
      grantIds: ["g2"],
    });
    expect(decideToolCall(index, alice, { type: "server", id: "s1" }, "delete_repo")).toMatchObject({
      allowed: false,
      reason: "in_deny_list",
    });
    expect(decideToolCall(index, alice, { type: "server", id: "s1" }, "unlisted")).toMatchObject({
      allowed: false,
      reason: "tool_not_approved",
    });
    expect(decideToolCall(index, alice, { type: "server", id: "s3" }, "echo")).toMatchObject({
      allowed: false,
      reason: "server_disabled",
    });
    expect(accessibleServers(index, alice).map((entry) => entry.slug)).toEqual(["everything", "github"]);
    expect([...callableTools(index, alice, { type: "server", id: "s2" }).keys()]).toEqual(["echo", "add"]);
  });

  it("resolves a virtual server's tools to their upstreams and confines a scoped token to its targets", () => {
    expect(decideToolCall(index, bot, { type: "virtual-server", id: "v1" }, "file_issue")).toEqual({
      allowed: true,
      grantIds: ["g5"],
      upstream: { serverId: "s1", tool: "create_issue", sha256: pin("e") },
    });
    expect(decideToolCall(index, bot, { type: "virtual-server", id: "v1" }, "unapproved")).toMatchObject({
      allowed: false,
      reason: "tool_not_approved",
    });
    expect(decideToolCall(index, bot, { type: "server", id: "s2" }, "echo")).toMatchObject({
      allowed: false,
      reason: "outside_token_scope",
    });
    expect(accessibleServers(index, bot)).toEqual([]);
    expect(accessibleVirtualServers(index, bot).map((entry) => entry.slug)).toEqual(["triage"]);
    expect([...callableTools(index, bot, { type: "virtual-server", id: "v1" }).keys()]).toEqual(["file_issue", "say"]);
  });

  it("denies by default", () => {
    const bob: ScopedPrincipal = { kind: "user", id: "bob", tokenId: "t-bob", scope: null };
    expect(decideToolCall(index, bob, { type: "server", id: "s1" }, "create_issue")).toEqual({
      allowed: false,
      reason: "no_grant",
      grantIds: [],
    });
    expect(decideToolCall(index, bob, { type: "server", id: "nope" }, "x")).toMatchObject({ reason: "unknown_target" });
    expect(accessibleServers(index, bob)).toEqual([]);
  });
});
