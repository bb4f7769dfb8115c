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

/** Sessions live in their own ids, so pods share no session store and need no affinity. */
export class SessionSealer {
  constructor(
    private readonly codec: SealedCodec,
    private readonly maxAgeMs: number,
  ) {}

  seal(session: McpSession): string {
    return this.codec.seal(PURPOSE, session);
  }

  /** The session, or undefined when the id is forged, damaged or expired. */
  open(sessionId: string, nowMs: number): McpSession | undefined {
    const session = this.codec.open<McpSession>(PURPOSE, sessionId);
    return session && nowMs - session.issuedAtMs <= this.maxAgeMs ? session : undefined;
  }
}
