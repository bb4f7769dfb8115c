import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";
import { CredentialVault } from "./credential-vault.js";

const vaultWith = (kek: Buffer) => new CredentialVault({ vaultKek: kek } as ControlPlaneConfig);
const vault = vaultWith(randomBytes(32));
const secret = Buffer.from('{"Authorization":"Bearer upstream-secret"}');

describe("CredentialVault", () => {
  it("opens what it sealed for the same binding", () => {
    const record = vault.encrypt(secret, "mcp-server-headers:a");
    const base64 = expect.stringMatching(/^[A-Za-z0-9+/]+=*$/);
    expect(record).toEqual({
      v: 1,
      iv: base64,
      tag: base64,
      ct: base64,
      wrappedKey: { iv: base64, tag: base64, ct: base64 },
    });
    expect(JSON.stringify(record)).not.toContain("upstream-secret");
    expect(vault.decrypt(record, "mcp-server-headers:a").equals(secret)).toBe(true);
  });

  it("uses a fresh data key and nonce for every record", () => {
    const first = vault.encrypt(secret, "binding");
    const second = vault.encrypt(secret, "binding");
    expect(first.wrappedKey.ct).not.toBe(second.wrappedKey.ct);
    expect(first.ct).not.toBe(second.ct);
    expect(first.iv).not.toBe(second.iv);
  });

  it("refuses a ciphertext moved to another row or purpose, tampered with, or under another KEK", () => {
    const record = vault.encrypt(secret, "mcp-server-headers:a");
    expect(() => vault.decrypt(record, "mcp-server-headers:b")).toThrow();
    const flipped = Buffer.from(record.ct, "base64");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => vault.decrypt({ ...record, ct: flipped.toString("base64") }, "mcp-server-headers:a")).toThrow();
    expect(() => vaultWith(randomBytes(32)).decrypt(record, "mcp-server-headers:a")).toThrow();
  });
});
