import {
  authenticateTokenDigest,
  digestAccessToken,
  hasValidTokenShape,
  type PolicyIndex,
  type ScopedPrincipal,
} from "@switchboard/snapshot";

import { LRUCache } from "lru-cache";

/** Tokens whose digest is remembered; an agent sends the same token on every request. */
const DIGEST_CACHE_ENTRIES = 10_000;

export type BearerOutcome = { ok: true; principal: ScopedPrincipal } | { ok: false; tokenPresented: boolean };

/**
 * Authenticates `Authorization: Bearer <token>` against the active snapshot: a checksum check
 * first (made-up tokens cost no HMAC), then the HMAC digest looked up in memory. Digests of recent
 * well-formed tokens are remembered (the digest of a token never changes; whether it is valid is
 * decided against the snapshot in force every time).
 */
export class BearerAuthenticator {
  private readonly digests = new LRUCache<string, string>({ max: DIGEST_CACHE_ENTRIES });

  constructor(private readonly digestKey: Uint8Array) {}

  authenticate(index: PolicyIndex, authorization: string | undefined): BearerOutcome {
    if (!authorization) return { ok: false, tokenPresented: false };
    const match = /^Bearer +(\S+)$/i.exec(authorization);
    const token = match?.[1];
    if (!token) return { ok: false, tokenPresented: true };
    let digest = this.digests.get(token);
    if (digest === undefined) {
      if (!hasValidTokenShape(token)) return { ok: false, tokenPresented: true };
      digest = digestAccessToken(token, this.digestKey);
      this.digests.set(token, digest);
    }
    const result = authenticateTokenDigest(index, digest, Date.now());
    return result.ok ? { ok: true, principal: result.principal } : { ok: false, tokenPresented: true };
  }
}
