import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/** What an `Mcp-Session-Id` carries, sealed: enough for any pod to serve the session. */
export type McpSession = {
  /** The principal the session belongs to; a request with another principal's token gets 404. */
  userId: string;
  /** The endpoint it was opened on: a server slug, or null for the aggregate `/mcp`. */
  target: string | null;
  protocolVersion: string;
  clientCapabilities: Record<string, unknown>;
  issuedAtMs: number;
};

const AAD = Buffer.from("switchboard mcp-session-id v1");
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals sessions into their own ids with AES-256-GCM, so pods share no session store and need no
 * affinity. The key is derived once at start with HKDF from the fleet's session secret, never per
 * request.
 */
export class SessionSealer {
  private readonly key: Buffer;

  constructor(
    secret: Uint8Array,
    private readonly maxAgeMs: number,
  ) {
    this.key = Buffer.from(hkdfSync("sha256", secret, "switchboard", "mcp-session-id v1", 32));
  }

  seal(session: McpSession): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(AAD);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(session), "utf8"), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url");
  }

  /** The session, or undefined when the id is forged, damaged or expired. */
  open(sessionId: string, nowMs: number): McpSession | undefined {
    const bytes = Buffer.from(sessionId, "base64url");
    if (bytes.length <= IV_BYTES + TAG_BYTES || bytes.toString("base64url") !== sessionId) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(AAD);
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const plaintext = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
      const session = JSON.parse(plaintext.toString("utf8")) as McpSession;
      return nowMs - session.issuedAtMs <= this.maxAgeMs ? session : undefined;
    } catch {
      return undefined;
    }
  }
}
