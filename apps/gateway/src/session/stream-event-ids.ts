import { createHash } from "node:crypto";
import type { SealedCodec } from "./sealed-codec.js";

const PURPOSE = "notification-stream-event-id";

/** What a notification stream's event id records: whose stream it was and the tool view it reflected. */
type StreamPosition = { session: string; view: string; seq: number };

/**
 * Event ids of the session notification streams, sealed so any pod can resume one. The stream's
 * notifications are about state (a tool list changed), so resuming means comparing the view the
 * client last heard of with the current one, not replaying a log.
 */
export class StreamEventIds {
  constructor(private readonly codec: SealedCodec) {}

  issue(sessionId: string, view: string, seq: number): string {
    return this.codec.seal(PURPOSE, { session: digest(sessionId), view: digest(view), seq } satisfies StreamPosition);
  }

  /** The view the id recorded (as a digest), or undefined when the id is not one of this session's. */
  resume(sessionId: string, lastEventId: string): { viewDigest: string; seq: number } | undefined {
    const position = this.codec.open<StreamPosition>(PURPOSE, lastEventId);
    if (!position || position.session !== digest(sessionId)) return undefined;
    return { viewDigest: position.view, seq: position.seq };
  }

  viewDigest(view: string): string {
    return digest(view);
  }
}

function digest(value: string): string {
  return createHash("sha256").update(value).digest("base64url").slice(0, 22);
}
