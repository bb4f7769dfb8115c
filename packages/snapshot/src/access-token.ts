import { createHmac, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * Gateway tokens look like `sbp_<43 base64url chars of 256 random bits>_<6 base36 chars of CRC32>`.
 * The prefix makes leaked tokens recognisable to secret scanners; the checksum lets a gateway reject
 * a mistyped or made-up token without a lookup.
 */
export const PERSONAL_TOKEN_PREFIX = "sbp";
const TOKEN_PATTERN = /^(sbp)_([A-Za-z0-9_-]{43})_([0-9a-z]{6})$/;

function checksum(body: string): string {
  return crc32(body).toString(36).padStart(6, "0").slice(-6);
}

export function mintAccessToken(prefix: string = PERSONAL_TOKEN_PREFIX): string {
  const secret = randomBytes(32).toString("base64url");
  const body = `${prefix}_${secret}`;
  return `${body}_${checksum(body)}`;
}

export function hasValidTokenShape(token: string): boolean {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return false;
  return checksum(`${match[1]}_${match[2]}`) === match[3];
}

/** The only form in which a token is stored or distributed: HMAC-SHA-256 under a server-side key. */
export function digestAccessToken(token: string, digestKey: Uint8Array): string {
  return createHmac("sha256", digestKey).update(token, "utf8").digest("hex");
}

/** What may be shown of a token after creation: enough to tell tokens apart, nothing to guess from. */
export function displayPrefixOf(token: string): string {
  return token.slice(0, PERSONAL_TOKEN_PREFIX.length + 1 + 6);
}
