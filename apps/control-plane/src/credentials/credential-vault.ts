import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { Inject, Injectable } from "@nestjs/common";
import { CONTROL_PLANE_CONFIG } from "../common/injection-tokens.js";
import type { ControlPlaneConfig } from "../config/control-plane-config.js";

type Sealed = { iv: string; tag: string; ct: string };

/** A secret at rest: ciphertext under a one-off data key, and that key wrapped by the KEK (base64 fields). */
export type VaultRecord = { v: 1 } & Sealed & { wrappedKey: Sealed };

function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), ct: ct.toString("base64") };
}

function open(key: Buffer, sealed: Sealed, aad: string): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ct, "base64")), decipher.final()]);
}

/**
 * AES-256-GCM envelope encryption for upstream credentials. The AAD names the row and purpose, so a
 * ciphertext copied onto another row does not decrypt.
 */
@Injectable()
export class CredentialVault {
  constructor(@Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig) {}

  encrypt(plaintext: Buffer, binding: string): VaultRecord {
    const dataKey = randomBytes(32);
    try {
      return { v: 1, ...seal(dataKey, plaintext, binding), wrappedKey: seal(this.config.vaultKek, dataKey, binding) };
    } finally {
      dataKey.fill(0);
    }
  }

  decrypt(record: VaultRecord, binding: string): Buffer {
    const dataKey = open(this.config.vaultKek, record.wrappedKey, binding);
    try {
      return open(dataKey, record, binding);
    } finally {
      dataKey.fill(0);
    }
  }
}
