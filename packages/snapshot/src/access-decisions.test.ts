import { describe, expect, it } from "vitest";
import { accessibleServers, authenticateTokenDigest, decideToolCall } from "./access-decisions.js";
import { buildPolicyIndex } from "./policy-index.js";
import type { PolicySnapshot } from "./schema.js";

const snapshot: PolicySnapshot = {
  schemaVersion: 1,
  version: 3,
  issuedAt: "2026-11-22T12:00:00.000Z",
  users: [
    { id: "alice", email: "a@x", name: "A", active: true },
    { id: "bob", email: "b@x", name: "B", active: true },
    { id: "carol", email: "c@x", name: "C", active: false },
  ],
  tokens: [
    { id: "t-alice", userId: "alice", digest: "a".repeat(64), expiresAt: null },
    { id: "t-bob", userId: "bob", digest: "b".repeat(64), expiresAt: "2026-01-01T00:00:00.000Z" },
    { id: "t-carol", userId: "carol", digest: "c".repeat(64), expiresAt: null },
  ],
  servers: [
    { id: "s1", slug: "github", name: "GitHub", url: "http://127.0.0.1:1/mcp", auth: { type: "none" } },
    { id: "s2", slug: "everything", name: "Everything", url: "http://127.0.0.1:2/mcp", auth: { type: "none" } },
  ],
  grants: [
    { id: "g1", subject: { type: "user", id: "alice" }, target: { type: "server", id: "s2" }, tools: ["echo"] },
    { id: "g2", subject: { type: "user", id: "alice" }, target: { type: "server", id: "s1" }, tools: null },
    { id: "g3", subject: { type: "user", id: "alice" }, target: { type: "server", id: "s2" }, tools: ["add"] },
  ],
};
const index = buildPolicyIndex(snapshot, "f".repeat(64));
const now = Date.parse("2026-11-22T12:00:00.000Z");

describe("access decisions", () => {
  it("authenticates known, unexpired tokens of active users only", () => {
    expect(authenticateTokenDigest(index, "a".repeat(64), now)).toEqual({
      ok: true,
      principal: { userId: "alice", tokenId: "t-alice" },
    });
    expect(authenticateTokenDigest(index, "b".repeat(64), now)).toEqual({ ok: false, reason: "expired_token" });
    expect(authenticateTokenDigest(index, "c".repeat(64), now)).toEqual({ ok: false, reason: "inactive_user" });
    expect(authenticateTokenDigest(index, "d".repeat(64), now)).toEqual({ ok: false, reason: "unknown_token" });
  });

  it("unions the allow-lists of several grants on one server", () => {
    const alice = { userId: "alice", tokenId: "t-alice" };
    expect(decideToolCall(index, alice, "s2", "echo")).toEqual({ allowed: true, grantIds: ["g1", "g3"] });
    expect(decideToolCall(index, alice, "s2", "add")).toMatchObject({ allowed: true });
    expect(decideToolCall(index, alice, "s2", "get-env")).toMatchObject({ allowed: false });
    expect(decideToolCall(index, alice, "s1", "anything")).toMatchObject({ allowed: true, grantIds: ["g2"] });
    expect(accessibleServers(index, alice).map((server) => server.slug)).toEqual(["everything", "github"]);
  });

  it("denies by default", () => {
    const bob = { userId: "bob", tokenId: "t-bob" };
    expect(decideToolCall(index, bob, "s1", "anything")).toEqual({ allowed: false, reason: "no grant on this server" });
    expect(accessibleServers(index, bob)).toEqual([]);
  });
});
