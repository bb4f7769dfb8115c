import { createParser } from "eventsource-parser";
import type { Logger } from "pino";
import type { UpstreamInbound } from "./read-json-rpc-response.js";
import type { BoundUpstreamSession, UpstreamClient } from "./upstream-client.js";
import type { UpstreamTarget } from "./upstream-target.js";

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * Follows an upstream session's own event stream (GET) for as long as `signal` is not aborted:
 * every message goes to `onMessage`; a dropped stream is reopened with backoff. An upstream that
 * offers no such stream (405) or no longer knows the session is simply not followed.
 */
export function followUpstreamEvents(
  upstreams: UpstreamClient,
  target: UpstreamTarget,
  session: BoundUpstreamSession,
  signal: AbortSignal,
  onMessage: (message: UpstreamInbound) => void,
  logger: Logger,
): void {
  const run = async () => {
    let retryMs = FIRST_RETRY_MS;
    while (!signal.aborted) {
      try {
        const body = await upstreams.openEventStream(target, session, signal);
        if (!body) return;
        retryMs = FIRST_RETRY_MS;
        const parser = createParser({
          onEvent: (event) => {
            const message = parseInbound(event.data);
            if (message) onMessage(message);
          },
        });
        const decoder = new TextDecoder();
        for await (const chunk of body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
      } catch (error) {
        if (signal.aborted) return;
        logger.debug({ server: target.slug, reason: String(error) }, "upstream event stream dropped");
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs).unref());
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
  };
  void run();
}

function parseInbound(data: string): UpstreamInbound | undefined {
  if (!data) return undefined;
  try {
    const message: unknown = JSON.parse(data);
    if (typeof message === "object" && message !== null && typeof (message as UpstreamInbound).method === "string") {
      return message as UpstreamInbound;
    }
  } catch {
    // Not JSON: nothing to relay.
  }
  return undefined;
}
