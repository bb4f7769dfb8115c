import { CompactEncrypt, compactDecrypt, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

/**
 * Server-level upstream secrets travel inside the snapshot sealed to the data plane: encrypted to a
 * public X25519 key whose private half only gateways hold. The control plane can seal but not open,
 * and a gateway started while the control plane is down can still call those upstreams.
 */
type JoseKey = Awaited<ReturnType<typeof importJWK>>;

const SEALING_ALGORITHM = "ECDH-ES";
const SEALING_ENCRYPTION = "A256GCM";

export type DataPlaneSealingJwk = JWK & { kid: string };

export async function generateDataPlaneSealingJwk(kid: string): Promise<DataPlaneSealingJwk> {
  const { privateKey } = await generateKeyPair(SEALING_ALGORITHM, { crv: "X25519", extractable: true });
  return { ...(await exportJWK(privateKey)), kid } as DataPlaneSealingJwk;
}

export function publicSealingJwk(privateJwk: DataPlaneSealingJwk): DataPlaneSealingJwk {
  const { d: _private, ...publicJwk } = privateJwk;
  return publicJwk;
}

export class DataPlaneSealer {
  private constructor(
    private readonly kid: string,
    private readonly key: JoseKey,
  ) {}

  static async fromPublicJwk(jwk: DataPlaneSealingJwk): Promise<DataPlaneSealer> {
    if (jwk.kty !== "OKP" || jwk.crv !== "X25519") throw new Error("the data-plane sealing key must be an X25519 JWK");
    const { d: _private, ...publicJwk } = jwk;
    return new DataPlaneSealer(jwk.kid, await importJWK(publicJwk, SEALING_ALGORITHM));
  }

  async seal(plaintext: Uint8Array): Promise<string> {
    return new CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: SEALING_ALGORITHM, enc: SEALING_ENCRYPTION, kid: this.kid })
      .encrypt(this.key);
  }
}

export class DataPlaneUnsealer {
  private constructor(private readonly key: JoseKey) {}

  static async fromPrivateJwk(jwk: DataPlaneSealingJwk): Promise<DataPlaneUnsealer> {
    if (jwk.kty !== "OKP" || jwk.crv !== "X25519" || !jwk.d) {
      throw new Error("the data-plane unsealing key must be a private X25519 JWK");
    }
    return new DataPlaneUnsealer(await importJWK(jwk, SEALING_ALGORITHM));
  }

  async unseal(sealed: string): Promise<Uint8Array> {
    const { plaintext } = await compactDecrypt(sealed, this.key, {
      keyManagementAlgorithms: [SEALING_ALGORITHM],
      contentEncryptionAlgorithms: [SEALING_ENCRYPTION],
    });
    return plaintext;
  }
}
