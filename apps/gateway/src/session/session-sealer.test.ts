import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SealedCodec } from "./sealed-codec.js";
import { type McpSession, SessionSealer } from "./session-sealer.js";

const session: McpSession = {
  principal: "user:alice",
  endpoint: "/mcp",
  protocolVersion: "2025-11-25",
  clientCapabilities: { elicitation: {} },
  upstreams: { "s-1": { sessionId: "upstream-session", protocolVersion: "2025-11-25" } },
  issuedAtMs: 1_000,
};

describe(SessionSealer.name, () => {
  const secret = randomBytes(32);
  const sealer = new SessionSealer(new SealedCodec(secret), 60_000);

  it("round-trips a session through an opaque, header-safe id", () => {
    const id = sealer.seal(session);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(id).not.toContain("alice");
    expect(sealer.open(id, 2_000)).toEqual(session);
  });

  it("opens on another pod holding the same secret", () => {
    expect(new SessionSealer(new SealedCodec(secret), 60_000).open(sealer.seal(session), 2_000)).toEqual(session);
  });

  it("refuses forged, damaged, foreign and expired ids", () => {
    const id = sealer.seal(session);
    const flipped = `${id.slice(0, 20)}${id[20] === "A" ? "B" : "A"}${id.slice(21)}`;
    expect(sealer.open(flipped, 2_000)).toBeUndefined();
    expect(sealer.open("not-a-session", 2_000)).toBeUndefined();
    expect(sealer.open(`${id}=`, 2_000)).toBeUndefined();
    expect(new SessionSealer(new SealedCodec(randomBytes(32)), 60_000).open(id, 2_000)).toBeUndefined();
    expect(sealer.open(id, 1_000 + 60_001)).toBeUndefined();
    const otherPurpose = new SealedCodec(secret).seal("relay-request", session);
    expect(sealer.open(otherPurpose, 2_000)).toBeUndefined();
  });
});
