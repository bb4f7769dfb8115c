import {
  authenticateTokenDigest,
  digestAccessToken,
  hasValidTokenShape,
  type PolicyIndex,
  type ScopedPrincipal,
} from "@switchboard/snapshot";

export type BearerOutcome = { ok: true; principal: ScopedPrincipal } | { ok: false; tokenPresented: boolean };

/**
 * Authenticates `Authorization: Bearer <token>` against the active snapshot: a checksum check
 * first (made-up tokens cost no HMAC), then the HMAC digest looked up in memory.
 */
export class BearerAuthenticator {
  constructor(private readonly digestKey: Uint8Array) {}

  authenticate(index: PolicyIndex, authorization: string | undefined): BearerOutcome {
    if (!authorization) return { ok: false, tokenPresented: false };
    const match = /^Bearer +(\S+)$/i.exec(authorization);
    const token = match?.[1];
    if (!token || !hasValidTokenShape(token)) return { ok: false, tokenPresented: true };
    const result = authenticateTokenDigest(index, digestAccessToken(token, this.digestKey), Date.now());
    return result.ok ? { ok: true, principal: result.principal } : { ok: false, tokenPresented: true };
  }
}
