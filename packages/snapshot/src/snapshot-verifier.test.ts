import { gzipSync } from "node:zlib";
import { CompactSign } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { PolicySnapshot } from "./schema.js";
import {
  generateSnapshotSigningJwk,
  importSnapshotSigningKey,
  publicSnapshotJwk,
  type SnapshotSigningKey,
} from "./signing-keys.js";
import { SNAPSHOT_JWS_TYPE, sha256Hex, signSnapshot, snapshotBytes } from "./snapshot-envelope.js";
import { SnapshotRejectedError, type SnapshotRejectionCode } from "./snapshot-errors.js";
import { SnapshotVerifier } from "./snapshot-verifier.js";

function snapshotAt(version: number, extraUsers = 0): PolicySnapshot {
  return {
    schemaVersion: 2,
    version,
    issuedAt: "2026-11-22T12:00:00.000Z",
    users: Array.from({ length: extraUsers + 1 }, (_, index) => ({
      id: `user-${index}`,
      email: `user${index}@example.com`,
      name: `User ${index}`,
      active: true,
      teamIds: [],
    })),
    teams: [],
    virtualAccounts: [],
    tokens: [],
    servers: [],
    virtualServers: [],
    grants: [],
  };
}

async function expectRejected(promise: Promise<unknown>, code: SnapshotRejectionCode) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SnapshotRejectedError);
  expect((error as SnapshotRejectedError).code).toBe(code);
}

describe(SnapshotVerifier.name, () => {
  let signingKey: SnapshotSigningKey;
  let otherKey: SnapshotSigningKey;
  let verifier: SnapshotVerifier;

  beforeAll(async () => {
    const jwk = await generateSnapshotSigningJwk("current");
    signingKey = await importSnapshotSigningKey(jwk);
    otherKey = await importSnapshotSigningKey(await generateSnapshotSigningJwk("attacker"));
    verifier = new SnapshotVerifier([publicSnapshotJwk(jwk)], {
      maxEnvelopeBytes: 64 * 1024,
      maxDocumentBytes: 16 * 1024,
    });
  });

  it("accepts a snapshot signed by a trusted key with a higher version", async () => {
    const signed = await signSnapshot(snapshotAt(7), signingKey);
    const verified = await verifier.verify(signed.envelope, 6);
    expect(verified.version).toBe(7);
    expect(verified.sha256).toBe(sha256Hex(snapshotBytes(snapshotAt(7))));
    expect(verified.snapshot).toEqual(snapshotAt(7));
  });

  it("refuses tampered bytes", async () => {
    const signed = await signSnapshot(snapshotAt(7), signingKey);
    const [header, payload, signature] = Buffer.from(signed.envelope).toString("ascii").split(".");
    const forgedPayload = gzipSync(snapshotBytes({ ...snapshotAt(7), users: [] })).toString("base64url");
    const tampered = Buffer.from([header, forgedPayload, signature].join("."), "ascii");
    await expectRejected(verifier.verify(tampered, 0), "BAD_SIGNATURE");
    expect(payload).not.toBe(forgedPayload);
  });

  it("refuses a snapshot signed by an untrusted key", async () => {
    const signed = await signSnapshot(snapshotAt(7), otherKey);
    await expectRejected(verifier.verify(signed.envelope, 0), "UNTRUSTED_KEY");
  });

  it("refuses an older or equal version", async () => {
    const signed = await signSnapshot(snapshotAt(7), signingKey);
    await expectRejected(verifier.verify(signed.envelope, 7), "NOT_NEWER");
    await expectRejected(verifier.verify(signed.envelope, 9), "NOT_NEWER");
  });

  it("refuses an envelope over the size cap before looking at it", async () => {
    await expectRejected(verifier.verify(new Uint8Array(64 * 1024 + 1), 0), "ENVELOPE_TOO_LARGE");
  });

  it("refuses a document whose signed size exceeds the cap", async () => {
    const signed = await signSnapshot(snapshotAt(7, 400), signingKey);
    expect(signed.size).toBeGreaterThan(16 * 1024);
    await expectRejected(verifier.verify(signed.envelope, 0), "SNAPSHOT_TOO_LARGE");
  });

  it("refuses a compressed payload that inflates beyond its signed size", async () => {
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    const jws = await new CompactSign(bomb)
      .setProtectedHeader({
        alg: "EdDSA",
        kid: signingKey.kid,
        typ: SNAPSHOT_JWS_TYPE,
        schemaVersion: 2,
        version: 8,
        sha256: "0".repeat(64),
        size: 100,
      })
      .sign(signingKey.key);
    await expectRejected(verifier.verify(Buffer.from(jws), 0), "SNAPSHOT_TOO_LARGE");
  });

  it("refuses a truncated envelope", async () => {
    const signed = await signSnapshot(snapshotAt(7), signingKey);
    const truncated = signed.envelope.subarray(0, signed.envelope.length - 20);
    await expect(verifier.verify(truncated, 0)).rejects.toBeInstanceOf(SnapshotRejectedError);
    await expectRejected(verifier.verify(signed.envelope.subarray(0, 40), 0), "MALFORMED_ENVELOPE");
  });

  it("refuses a signed document that fails the schema", async () => {
    const document = Buffer.from(JSON.stringify({ ...snapshotAt(9), servers: [{ id: "x" }] }));
    const jws = await new CompactSign(gzipSync(document))
      .setProtectedHeader({
        alg: "EdDSA",
        kid: signingKey.kid,
        typ: SNAPSHOT_JWS_TYPE,
        schemaVersion: 2,
        version: 9,
        sha256: sha256Hex(document),
        size: document.length,
      })
      .sign(signingKey.key);
    await expectRejected(verifier.verify(Buffer.from(jws), 0), "INVALID_DOCUMENT");
  });

  it("refuses an unknown schema version", async () => {
    const document = snapshotBytes(snapshotAt(9));
    const jws = await new CompactSign(gzipSync(document))
      .setProtectedHeader({
        alg: "EdDSA",
        kid: signingKey.kid,
        typ: SNAPSHOT_JWS_TYPE,
        schemaVersion: 99,
        version: 9,
        sha256: sha256Hex(document),
        size: document.length,
      })
      .sign(signingKey.key);
    await expectRejected(verifier.verify(Buffer.from(jws), 0), "UNSUPPORTED_SCHEMA");
  });
});
