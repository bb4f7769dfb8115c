import { describe, expect, it } from "vitest";
import { digestAccessToken, displayPrefixOf, hasValidTokenShape, mintAccessToken } from "./access-token.js";

describe("access tokens", () => {
  it("mints recognisable tokens whose checksum verifies", () => {
    const token = mintAccessToken();
    expect(token).toMatch(/^sbp_[A-Za-z0-9_-]{43}_[0-9a-z]{6}$/);
    expect(hasValidTokenShape(token)).toBe(true);
    expect(displayPrefixOf(token)).toBe(token.slice(0, 10));
  });

  it("rejects a token with one changed character", () => {
    const token = mintAccessToken();
    const flipped = `${token.slice(0, 10)}${token[10] === "A" ? "B" : "A"}${token.slice(11)}`;
    expect(hasValidTokenShape(flipped)).toBe(false);
    expect(hasValidTokenShape("not-a-token")).toBe(false);
  });

  it("digests under a key, so the digest alone does not reveal or confirm the token", () => {
    const token = mintAccessToken();
    const digest = digestAccessToken(token, Buffer.alloc(32, 1));
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digestAccessToken(token, Buffer.alloc(32, 2))).not.toBe(digest);
  });
});
