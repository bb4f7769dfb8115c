import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

export const SNAPSHOT_SIGNING_ALGORITHM = "EdDSA";

/** A private Ed25519 JWK with its `kid`, as the control plane holds it. */
export type SnapshotSigningJwk = JWK & { kid: string; d: string };
/** A public Ed25519 JWK with its `kid`, as gateways trust it. */
export type SnapshotPublicJwk = JWK & { kid: string };

export type SnapshotSigningKey = { kid: string; key: Awaited<ReturnType<typeof importJWK>> };

export async function generateSnapshotSigningJwk(kid: string): Promise<SnapshotSigningJwk> {
  const { privateKey } = await generateKeyPair(SNAPSHOT_SIGNING_ALGORITHM, { crv: "Ed25519", extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: SNAPSHOT_SIGNING_ALGORITHM } as SnapshotSigningJwk;
}

export function publicSnapshotJwk(privateJwk: SnapshotSigningJwk): SnapshotPublicJwk {
  const { d: _private, ...publicJwk } = privateJwk;
  return publicJwk;
}

export async function importSnapshotSigningKey(jwk: SnapshotSigningJwk): Promise<SnapshotSigningKey> {
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.d || !jwk.kid) {
    throw new Error("the snapshot signing key must be a private Ed25519 JWK with a kid");
  }
  const key = await importJWK(jwk, SNAPSHOT_SIGNING_ALGORITHM);
  return { kid: jwk.kid, key };
}

/** Parses the gateway's trusted key set (a JSON array or JWKS) and refuses anything but public Ed25519 keys. */
export function parseTrustedSnapshotKeys(json: string): SnapshotPublicJwk[] {
  const parsed: unknown = JSON.parse(json);
  const keys = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error("the trusted snapshot key set is empty");
  return keys.map((candidate: JWK) => {
    if (candidate.kty !== "OKP" || candidate.crv !== "Ed25519" || typeof candidate.kid !== "string") {
      throw new Error("every trusted snapshot key must be a public Ed25519 JWK with a kid");
    }
    if ("d" in candidate) throw new Error(`trusted key ${candidate.kid} contains private material`);
    return {
      kty: candidate.kty,
      crv: candidate.crv,
      x: candidate.x,
      kid: candidate.kid,
      alg: SNAPSHOT_SIGNING_ALGORITHM,
    };
  });
}
