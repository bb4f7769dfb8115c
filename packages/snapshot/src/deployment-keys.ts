import { randomBytes } from "node:crypto";
import { generateDataPlaneSealingJwk, publicSealingJwk } from "./data-plane-sealing.js";
import { generateSnapshotSigningJwk, publicSnapshotJwk } from "./signing-keys.js";

/**
 * Every secret a deployment needs, as the environment variables that carry them. The embedded mode
 * and the tests generate a fresh set; production injects its own.
 */
export type DeploymentKeys = {
  /** Control plane: private Ed25519 JWK that signs snapshots. */
  SWITCHBOARD_SNAPSHOT_SIGNING_KEY: string;
  /** Gateways: JSON array of the public Ed25519 JWKs they trust (current + next). */
  SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS: string;
  /** Control plane: public X25519 JWK to seal server-level secrets for the data plane. */
  SWITCHBOARD_DATA_PLANE_PUBLIC_KEY: string;
  /** Gateways: the private half, to open them. */
  SWITCHBOARD_DATA_PLANE_PRIVATE_KEY: string;
  /** Both planes: base64 HMAC key under which token digests are computed. */
  SWITCHBOARD_TOKEN_DIGEST_KEY: string;
  /** Control plane: base64 256-bit key-encryption key of the credential vault. */
  SWITCHBOARD_VAULT_KEK: string;
  /** Gateways of one fleet: base64 secret their sealed MCP session ids derive from. */
  SWITCHBOARD_SESSION_SECRET: string;
};

export async function generateDeploymentKeys(): Promise<DeploymentKeys> {
  const kidSuffix = new Date().toISOString().slice(0, 10);
  const signing = await generateSnapshotSigningJwk(`snapshot-${kidSuffix}`);
  const sealing = await generateDataPlaneSealingJwk(`data-plane-${kidSuffix}`);
  return {
    SWITCHBOARD_SNAPSHOT_SIGNING_KEY: JSON.stringify(signing),
    SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS: JSON.stringify([publicSnapshotJwk(signing)]),
    SWITCHBOARD_DATA_PLANE_PUBLIC_KEY: JSON.stringify(publicSealingJwk(sealing)),
    SWITCHBOARD_DATA_PLANE_PRIVATE_KEY: JSON.stringify(sealing),
    SWITCHBOARD_TOKEN_DIGEST_KEY: randomBytes(32).toString("base64"),
    SWITCHBOARD_VAULT_KEK: randomBytes(32).toString("base64"),
    SWITCHBOARD_SESSION_SECRET: randomBytes(32).toString("base64"),
  };
}
