import type { PolicyIndex, ScopedPrincipal } from "@switchboard/snapshot";
import type { Logger } from "pino";
import { principalKey } from "../enforcement/call-scope.js";
import { canReachServer } from "../enforcement/server-reach.js";
import type { SealedCodec } from "../session/sealed-codec.js";
import type { UpstreamInbound } from "../upstream/read-json-rpc-response.js";
import type { UpstreamClient, UpstreamOrigin } from "../upstream/upstream-client.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import type { JsonRpcId } from "./json-rpc.js";

const PURPOSE = "relayed-request-id";
const ID_PREFIX = "sb_";

/** The client capability an upstream's request to the client needs. */
const REQUIRED_CAPABILITY: Record<string, string> = {
  "sampling/createMessage": "sampling",
  "elicitation/create": "elicitation",
  "roots/list": "roots",
};

/** What a relayed request's id carries, sealed, so the answer may land on any pod. */
type RelayedRequest = { principal: string; serverId: string; origin: UpstreamOrigin; upstreamId: JsonRpcId };

/** Where an upstream's messages for one downstream request go. */
export type Relay = {
  /** Aborted when the agent cancels the request it belongs to. */
  signal: AbortSignal;
  onInbound(message: UpstreamInbound, origin: UpstreamOrigin, target: UpstreamTarget): void;
};

export type RelayedResponse = { id: JsonRpcId; result?: unknown; error?: unknown };

/**
 * Relays server-to-client requests (sampling, elicitation, roots) to the agent session that caused
 * them, on that request's event stream, under an id that seals the way back to the upstream session.
 * Requests the agent has not declared the capability for are refused to the upstream at once.
 */
export class ServerRequestRelay {
  constructor(
    private readonly codec: SealedCodec,
    private readonly upstreams: UpstreamClient,
    private readonly logger: Logger,
  ) {}

  relayFor(
    principal: ScopedPrincipal,
    clientCapabilities: Record<string, unknown>,
    signal: AbortSignal,
    send: (message: unknown) => void,
  ): Relay {
    return {
      signal,
      onInbound: (message, origin, target) => {
        if (message.id === undefined) {
          send(message);
          return;
        }
        const capability = REQUIRED_CAPABILITY[message.method];
        if (!capability || clientCapabilities[capability] === undefined) {
          const refusal = {
            jsonrpc: "2.0",
            id: message.id,
            error: { code: -32601, message: `The client does not support ${message.method}` },
          };
          this.upstreams.respond(target, origin, refusal).catch((error: unknown) => {
            this.logger.warn({ err: error }, "could not refuse an upstream request");
          });
          return;
        }
        const relayed: RelayedRequest = {
          principal: principalKey(principal),
          serverId: target.serverId,
          origin,
          upstreamId: message.id,
        };
        send({ ...message, id: `${ID_PREFIX}${this.codec.seal(PURPOSE, relayed)}` });
      },
    };
  }

  /** Whether a response's id is one of ours (then it must be routed back, not dropped). */
  isRelayedId(id: JsonRpcId): boolean {
    return typeof id === "string" && id.startsWith(ID_PREFIX);
  }

  /**
   * Hands the agent's answer to the upstream session that asked. False when the id is not a relayed
   * id of this principal, or the upstream is no longer theirs.
   */
  async answer(
    index: PolicyIndex,
    upstreams: Map<string, UpstreamTarget>,
    principal: ScopedPrincipal,
    response: RelayedResponse,
  ): Promise<boolean> {
    const relayed = this.codec.open<RelayedRequest>(PURPOSE, String(response.id).slice(ID_PREFIX.length));
    if (
      !relayed ||
      relayed.principal !== principalKey(principal) ||
      !canReachServer(index, principal, relayed.serverId)
    )
      return false;
    const target = upstreams.get(relayed.serverId);
    if (!target) return false;
    const forwarded =
      response.error !== undefined
        ? { jsonrpc: "2.0", id: relayed.upstreamId, error: response.error }
        : { jsonrpc: "2.0", id: relayed.upstreamId, result: response.result };
    await this.upstreams.respond(target, relayed.origin, forwarded);
    return true;
  }
}
