import { createParser } from "eventsource-parser";
import type { JsonRpcId } from "../mcp/json-rpc.js";
import { UpstreamError } from "./upstream-error.js";

export type UpstreamResponseMessage = { jsonrpc: "2.0"; id: JsonRpcId; result?: unknown; error?: unknown };

function isResponseTo(message: unknown, id: JsonRpcId): message is UpstreamResponseMessage {
  if (typeof message !== "object" || message === null) return false;
  const candidate = message as { id?: unknown; result?: unknown; error?: unknown };
  return candidate.id === id && ("result" in candidate || "error" in candidate);
}

/**
 * A message the upstream sent on a request's stream before answering it: a notification (progress,
 * log messages) or, with an id, a request of its own to the client (sampling, elicitation, roots).
 */
export type UpstreamInbound = { jsonrpc: "2.0"; method: string; params?: unknown; id?: JsonRpcId };
export type InboundListener = (message: UpstreamInbound) => void;

function isInbound(message: unknown): message is UpstreamInbound {
  if (typeof message !== "object" || message === null) return false;
  return typeof (message as { method?: unknown }).method === "string";
}

/**
 * Reads the answer to request `id` from an upstream's response body, which the Streamable HTTP
 * transport allows to be plain JSON or an SSE stream that may carry other messages first; those
 * go to `onInbound`.
 */
export async function readJsonRpcResponse(
  contentType: string,
  body: AsyncIterable<Buffer | Uint8Array | string>,
  id: JsonRpcId,
  onInbound?: InboundListener,
): Promise<UpstreamResponseMessage> {
  if (contentType.startsWith("application/json")) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk));
    const message: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (isResponseTo(message, id)) return message;
    throw new UpstreamError("protocol", "the JSON answer is not a response to the request");
  }
  if (contentType.startsWith("text/event-stream")) {
    let found: UpstreamResponseMessage | undefined;
    const parser = createParser({
      onEvent: (event) => {
        if (found || !event.data) return;
        try {
          const message: unknown = JSON.parse(event.data);
          if (isResponseTo(message, id)) found = message;
          else if (isInbound(message)) onInbound?.(message);
        } catch {
          // Not JSON: not the response we wait for.
        }
      },
    });
    const decoder = new TextDecoder();
    for await (const chunk of body) {
      parser.feed(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
      if (found) return found;
    }
    if (found) return found;
    throw new UpstreamError("protocol", "the event stream ended without a response");
  }
  throw new UpstreamError("protocol", `unexpected content type ${contentType || "(none)"}`);
}
