import { LRUCache } from "lru-cache";
import type { BoundUpstreamSession } from "../upstream/upstream-client.js";
import type { SealedCodec } from "./sealed-codec.js";

/** What an `Mcp-Session-Id` carries, sealed: enough for any pod to serve the session. */
export type McpSession = {
  /** The principal the session belongs to; a request with another principal's token gets 404. */
  principal: string;
  /** The endpoint path it was opened on (`/mcp`, `/mcp/{slug}`, `/mcp/v/{slug}`); it serves no other. */
  endpoint: string;
  protocolVersion: string;
  clientCapabilities: Record<string, unknown>;
  /** serverId → the upstream session opened for this agent session at initialize. */
  upstreams: Record<string, BoundUpstreamSession>;
  issuedAtMs: number;
};

const PURPOSE = "mcp-session-id";
/** Recently opened session ids: a session sends its id on every request, and opening costs an AES-GCM pass. */
const OPENED_CACHE_ENTRIES = 10_000;

/** Sessions live in their own ids, so pods share no session store and need no affinity. */
export class SessionSealer {
  private readonly opened = new LRUCache<string, McpSession>({ max: OPENED_CACHE_ENTRIES });

  constructor(
    private readonly codec: SealedCodec,
    private readonly maxAgeMs: number,
  ) {}

  seal(session: McpSession): string {
    return this.codec.seal(PURPOSE, session);
  }

  /** The session, or undefined when the id is forged, damaged or expired. */
  open(sessionId: string, nowMs: number): McpSession | undefined {
    let session = this.opened.get(sessionId);
    if (!session) {
      session = this.codec.open<McpSession>(PURPOSE, sessionId);
      if (session) this.opened.set(sessionId, session);
    }
    return session && nowMs - session.issuedAtMs <= this.maxAgeMs ? session : undefined;
  }
}
