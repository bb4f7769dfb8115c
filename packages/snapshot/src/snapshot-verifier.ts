import { gunzipSync } from "node:zlib";
import { compactVerify, createLocalJWKSet, errors } from "jose";
import { type PolicySnapshot, PolicySnapshotSchema, SNAPSHOT_SCHEMA_VERSION } from "./schema.js";
import { SNAPSHOT_SIGNING_ALGORITHM, type SnapshotPublicJwk } from "./signing-keys.js";
import { SNAPSHOT_JWS_TYPE, type SnapshotEnvelopeHeader, sha256Hex } from "./snapshot-envelope.js";
import { SnapshotRejectedError } from "./snapshot-errors.js";

export type SnapshotLimits = {
  /** Largest envelope accepted, checked before anything else. */
  maxEnvelopeBytes: number;
  /** Largest decompressed document accepted, enforced while decompressing. */
  maxDocumentBytes: number;
};

export const DEFAULT_SNAPSHOT_LIMITS: SnapshotLimits = {
  maxEnvelopeBytes: 64 * 1024 * 1024,
  maxDocumentBytes: 256 * 1024 * 1024,
};

export type VerifiedSnapshot = {
  snapshot: PolicySnapshot;
  version: number;
  sha256: string;
  envelope: Uint8Array;
};

/**
 * Verifies a snapshot envelope in the order that keeps untrusted bytes away from parsers: size cap,
 * signature by a trusted key (the key set comes from the gateway's configuration, never from the
 * snapshot), version strictly above the one held, decompression capped at the signed size, digest,
 * and only then JSON parsing and schema validation.
 */
export class SnapshotVerifier {
  private readonly keySet: ReturnType<typeof createLocalJWKSet>;

  constructor(
    trustedKeys: SnapshotPublicJwk[],
    private readonly limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
  ) {
    this.keySet = createLocalJWKSet({ keys: trustedKeys });
  }

  async verify(envelope: Uint8Array, currentVersion: number): Promise<VerifiedSnapshot> {
    if (envelope.length > this.limits.maxEnvelopeBytes) {
      throw new SnapshotRejectedError(
        "ENVELOPE_TOO_LARGE",
        `${envelope.length} bytes exceeds ${this.limits.maxEnvelopeBytes}`,
      );
    }
    const { payload, protectedHeader } = await this.verifySignature(Buffer.from(envelope).toString("ascii"));
    const header = protectedHeader as Partial<SnapshotEnvelopeHeader>;
    if (header.typ !== SNAPSHOT_JWS_TYPE || header.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) {
      throw new SnapshotRejectedError("UNSUPPORTED_SCHEMA", `type ${header.typ} schema ${header.schemaVersion}`);
    }
    if (
      !Number.isSafeInteger(header.version) ||
      typeof header.sha256 !== "string" ||
      !Number.isSafeInteger(header.size)
    ) {
      throw new SnapshotRejectedError("MALFORMED_ENVELOPE", "the protected header lacks version, sha256 or size");
    }
    const version = header.version as number;
    if (version <= currentVersion) {
      throw new SnapshotRejectedError(
        "NOT_NEWER",
        `version ${version} is not above the active version ${currentVersion}`,
      );
    }
    const size = header.size as number;
    if (size > this.limits.maxDocumentBytes) {
      throw new SnapshotRejectedError("SNAPSHOT_TOO_LARGE", `${size} bytes exceeds ${this.limits.maxDocumentBytes}`);
    }
    const document = this.decompress(payload, size);
    if (sha256Hex(document) !== header.sha256) {
      throw new SnapshotRejectedError("DIGEST_MISMATCH", "the document does not match the signed sha256");
    }
    const snapshot = this.parse(document);
    if (snapshot.version !== version) {
      throw new SnapshotRejectedError("INVALID_DOCUMENT", "the document version differs from the signed version");
    }
    return { snapshot, version, sha256: header.sha256, envelope };
  }

  private async verifySignature(jws: string) {
    try {
      return await compactVerify(jws, this.keySet, { algorithms: [SNAPSHOT_SIGNING_ALGORITHM] });
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) {
        throw new SnapshotRejectedError("UNTRUSTED_KEY", "no trusted key matches the envelope's kid");
      }
      if (error instanceof errors.JWSSignatureVerificationFailed) {
        throw new SnapshotRejectedError("BAD_SIGNATURE", "the signature does not verify");
      }
      throw new SnapshotRejectedError(
        "MALFORMED_ENVELOPE",
        error instanceof Error ? error.message : "unreadable envelope",
      );
    }
  }

  private decompress(payload: Uint8Array, size: number): Buffer {
    try {
      const document = gunzipSync(payload, { maxOutputLength: Math.max(size, 1) });
      if (document.length !== size) throw new Error(`expected ${size} bytes, got ${document.length}`);
      return document;
    } catch (error) {
      throw new SnapshotRejectedError(
        "SNAPSHOT_TOO_LARGE",
        error instanceof Error ? error.message : "decompression failed",
      );
    }
  }

  private parse(document: Buffer): PolicySnapshot {
    let json: unknown;
    try {
      json = JSON.parse(document.toString("utf8"));
    } catch {
      throw new SnapshotRejectedError("INVALID_DOCUMENT", "the document is not JSON");
    }
    const result = PolicySnapshotSchema.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new SnapshotRejectedError("INVALID_DOCUMENT", `${issue?.path.join(".")}: ${issue?.message}`);
    }
    return result.data;
  }
}
