import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { CompactSign } from "jose";
import { canonicalJson } from "./canonical-json.js";
import { type PolicySnapshot, SNAPSHOT_SCHEMA_VERSION } from "./schema.js";
import { SNAPSHOT_SIGNING_ALGORITHM, type SnapshotSigningKey } from "./signing-keys.js";

export const SNAPSHOT_JWS_TYPE = "switchboard-snapshot+jws";

/**
 * The JWS protected header. It carries what a gateway must check before it decompresses or parses
 * anything: the version (rollback refusal), the size (bomb guard) and the digest of the document.
 */
export type SnapshotEnvelopeHeader = {
  alg: typeof SNAPSHOT_SIGNING_ALGORITHM;
  kid: string;
  typ: typeof SNAPSHOT_JWS_TYPE;
  schemaVersion: number;
  version: number;
  sha256: string;
  size: number;
};

export type SignedSnapshot = {
  /** The compact JWS as bytes: what travels over the bus and is written to disk. */
  envelope: Uint8Array;
  version: number;
  sha256: string;
  /** Size of the canonical JSON document, before compression. */
  size: number;
};

/** Canonical bytes of a snapshot; their sha256 is the snapshot's content identity. */
export function snapshotBytes(snapshot: PolicySnapshot): Buffer {
  return Buffer.from(canonicalJson(snapshot), "utf8");
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export async function signSnapshot(snapshot: PolicySnapshot, signingKey: SnapshotSigningKey): Promise<SignedSnapshot> {
  const document = snapshotBytes(snapshot);
  const header: SnapshotEnvelopeHeader = {
    alg: SNAPSHOT_SIGNING_ALGORITHM,
    kid: signingKey.kid,
    typ: SNAPSHOT_JWS_TYPE,
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    version: snapshot.version,
    sha256: sha256Hex(document),
    size: document.length,
  };
  const jws = await new CompactSign(gzipSync(document)).setProtectedHeader(header).sign(signingKey.key);
  return { envelope: Buffer.from(jws, "ascii"), version: header.version, sha256: header.sha256, size: header.size };
}
