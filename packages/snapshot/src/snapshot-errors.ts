/** Why a gateway refused a snapshot. Reported back to the control plane verbatim. */
export type SnapshotRejectionCode =
  | "ENVELOPE_TOO_LARGE"
  | "MALFORMED_ENVELOPE"
  | "UNTRUSTED_KEY"
  | "BAD_SIGNATURE"
  | "UNSUPPORTED_SCHEMA"
  | "NOT_NEWER"
  | "SNAPSHOT_TOO_LARGE"
  | "DIGEST_MISMATCH"
  | "INVALID_DOCUMENT";

export class SnapshotRejectedError extends Error {
  constructor(
    readonly code: SnapshotRejectionCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = "SnapshotRejectedError";
  }
}
