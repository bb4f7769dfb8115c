import { randomBytes } from "node:crypto";
import { Agent, errors } from "undici";
import type { JsonRpcId } from "../mcp/json-rpc.js";
import { capabilitiesKey } from "./capabilities-key.js";
import {
  type InboundListener,
  readJsonRpcResponse,
  type UpstreamInbound,
  type UpstreamResponseMessage,
} from "./read-json-rpc-response.js";
import { UpstreamError } from "./upstream-error.js";
import type { UpstreamPools } from "./upstream-pools.js";
import type { UpstreamTarget } from "./upstream-target.js";

const CLIENT_INFO = { name: "switchboard-gateway", version: "0.1.0" };
const UPSTREAM_PROTOCOL_VERSION = "2025-11-25";

type OutgoingRequest = { jsonrpc: "2.0"; id: string; method: string; params: unknown };

/** Which upstream session a server-to-client request came from, so its answer can go back there. */
export type UpstreamOrigin = { sessionId: string | undefined; protocolVersion: string };

/**
 * An upstream session opened for one agent session and sealed into its `Mcp-Session-Id`, so every
 * pod sends that session's requests to the same upstream session (subscriptions, cancellation and
 * the upstream's own event stream then work whichever pod serves the agent).
 */
export type BoundUpstreamSession = { sessionId: string; protocolVersion: string };

export type UpstreamRequestOptions = {
  /** The client capabilities the agent declared; the upstream session presents exactly these. */
  clientCapabilities?: Record<string, unknown>;
  onInbound?: (message: UpstreamInbound, origin: UpstreamOrigin) => void;
  /** Aborting it cancels the call: the upstream is sent `notifications/cancelled`. */
  signal?: AbortSignal;
  /** The agent session's own upstream session; without it, a per-pod session is used. */
  bound?: BoundUpstreamSession | undefined;
  /**
   * The upstream request id to use on a bound session, derived from the agent's request id so any
   * pod can cancel it (see `boundRequestId`).
   */
  requestId?: string | undefined;
};

/** The upstream id of an agent request on its bound upstream session. */
export function boundRequestId(agentRequestId: unknown): string {
  return `sb-agent-${JSON.stringify(agentRequestId)}`;
}

export type UpstreamSession = {
  sessionId: string | undefined;
  protocolVersion: string;
  /** What the upstream declared in its InitializeResult. */
  capabilities: Record<string, unknown>;
};

/**
 * A small Streamable HTTP client of our own on undici. It keeps one upstream MCP session per
 * (principal, upstream), opened lazily and re-opened once when the upstream forgets it (404), and
 * builds every upstream request from scratch: the agent's headers never reach the upstream.
 */
export class UpstreamClient {
  private readonly sessions = new Map<string, Promise<UpstreamSession>>();
  /** Ids of the gateway's own upstream requests: unique per pod, so pods sharing a session never collide. */
  private readonly idPrefix = `sb-${randomBytes(6).toString("base64url")}-`;
  private nextId = 1;
  /** Long-lived event streams get their own connections, so they never starve request pools. */
  private readonly streams = new Agent({ keepAliveTimeout: 30_000 });

  constructor(
    private readonly pools: UpstreamPools,
    private readonly timeoutMs: number,
  ) {}

  async request(
    principalId: string,
    target: UpstreamTarget,
    method: string,
    params: unknown,
    options: UpstreamRequestOptions = {},
  ): Promise<UpstreamResponseMessage> {
    const capabilities = options.clientCapabilities ?? {};
    const key = sessionKey(principalId, target, capabilities);
    const message = (id = this.newId()): OutgoingRequest => ({ jsonrpc: "2.0", id, method, params });
    const listen = (session: UpstreamOrigin): InboundListener | undefined =>
      options.onInbound && ((inbound) => options.onInbound?.(inbound, session));
    if (options.bound) {
      const bound = { ...options.bound, capabilities: {} };
      const answer = await this.post(target, bound, message(options.requestId), listen(bound), options.signal);
      if (answer.kind === "response") return answer.message;
      // The upstream forgot the agent's session (it restarted): carry on with a per-pod session.
    }
    const session = await this.session(key, target, capabilities);
    const answer = await this.post(target, session, message(), listen(session), options.signal);
    if (answer.kind === "response") return answer.message;
    this.sessions.delete(key);
    const reopened = await this.session(key, target, capabilities);
    const retry = await this.post(target, reopened, message(), listen(reopened), options.signal);
    if (retry.kind === "response") return retry.message;
    throw new UpstreamError("protocol", "the upstream rejected a freshly opened session");
  }

  /** Delivers the agent's answer to a server-to-client request to the upstream session that asked. */
  async respond(target: UpstreamTarget, origin: UpstreamOrigin, response: unknown): Promise<void> {
    const answer = await this.send(target, origin, response);
    await answer.body.dump();
    if (answer.statusCode >= 300)
      throw new UpstreamError("unavailable", `the answer was refused: HTTP ${answer.statusCode}`);
  }

  /** The capabilities the upstream declared to this principal's session (opening it if needed). */
  async capabilities(
    principalId: string,
    target: UpstreamTarget,
    clientCapabilities: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const key = sessionKey(principalId, target, clientCapabilities);
    return (await this.session(key, target, clientCapabilities)).capabilities;
  }

  /** Opens a fresh upstream session presenting these client capabilities (to bind to an agent session). */
  open(target: UpstreamTarget, clientCapabilities: Record<string, unknown>): Promise<UpstreamSession> {
    return this.initialize(target, clientCapabilities);
  }

  /** Ends an upstream session (best effort: the upstream may have forgotten it already). */
  async close(target: UpstreamTarget, session: BoundUpstreamSession): Promise<void> {
    const headers = this.headers(target, session);
    await this.pools
      .get(target.origin)
      .request({ method: "DELETE", path: target.path, headers, headersTimeout: this.timeoutMs })
      .then((response) => response.body.dump())
      .catch(() => {});
  }

  /** Delivers a notification from the agent (e.g. `roots/list_changed`) to its bound upstream session. */
  async notify(target: UpstreamTarget, session: BoundUpstreamSession, notification: unknown): Promise<void> {
    const response = await this.send(target, session, notification);
    await response.body.dump();
  }

  /** Asks the upstream to stop a request, by its upstream id, from any pod. */
  cancel(target: UpstreamTarget, session: BoundUpstreamSession, requestId: string, reason: string): Promise<void> {
    return this.cancelUpstream(target, { ...session, capabilities: {} }, requestId, reason);
  }

  /**
   * Opens the upstream session's own event stream (GET), for messages not tied to a request.
   * Undefined when the upstream offers none (405) or the session is gone.
   */
  async openEventStream(target: UpstreamTarget, session: BoundUpstreamSession, signal: AbortSignal) {
    const { "content-type": _none, ...headers }: Record<string, string> = {
      ...this.headers(target, session),
      accept: "text/event-stream",
    };
    const response = await this.streams.request({
      origin: target.origin,
      method: "GET",
      path: target.path,
      headers,
      headersTimeout: this.timeoutMs,
      bodyTimeout: 0,
      signal,
    });
    if (
      response.statusCode !== 200 ||
      !String(response.headers["content-type"] ?? "").startsWith("text/event-stream")
    ) {
      await response.body.dump().catch(() => {});
      return undefined;
    }
    return response.body;
  }

  /** Closes the connections of upstream event streams (at shutdown). */
  async closeStreams(): Promise<void> {
    await this.streams.destroy();
  }

  /** Drops every upstream session of the servers no longer present (e.g. after a snapshot). */
  forgetServersExcept(serverIds: Set<string>): void {
    for (const key of this.sessions.keys()) {
      if (!serverIds.has(key.split("\u0000")[1] as string)) this.sessions.delete(key);
    }
  }

  private session(
    key: string,
    target: UpstreamTarget,
    clientCapabilities: Record<string, unknown>,
  ): Promise<UpstreamSession> {
    let session = this.sessions.get(key);
    if (!session) {
      session = this.initialize(target, clientCapabilities);
      this.sessions.set(key, session);
      session.catch(() => this.sessions.delete(key));
    }
    return session;
  }

  private async initialize(
    target: UpstreamTarget,
    clientCapabilities: Record<string, unknown>,
  ): Promise<UpstreamSession> {
    const fresh: UpstreamSession = {
      sessionId: undefined,
      protocolVersion: UPSTREAM_PROTOCOL_VERSION,
      capabilities: {},
    };
    const id = this.newId();
    const response = await this.send(target, fresh, {
      jsonrpc: "2.0",
      id,
      method: "initialize",
      params: { protocolVersion: UPSTREAM_PROTOCOL_VERSION, capabilities: clientCapabilities, clientInfo: CLIENT_INFO },
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new UpstreamError("unavailable", `initialize answered HTTP ${response.statusCode}`);
    }
    const message = await readAnswer(String(response.headers["content-type"] ?? ""), response.body, id);
    const result = message.result as { protocolVersion?: string; capabilities?: Record<string, unknown> } | undefined;
    if (!result) throw new UpstreamError("protocol", "initialize failed upstream");
    const sessionHeader = response.headers["mcp-session-id"];
    const session: UpstreamSession = {
      sessionId: typeof sessionHeader === "string" ? sessionHeader : undefined,
      protocolVersion: result.protocolVersion ?? UPSTREAM_PROTOCOL_VERSION,
      capabilities: result.capabilities ?? {},
    };
    const initialized = await this.send(target, session, { jsonrpc: "2.0", method: "notifications/initialized" });
    await initialized.body.dump();
    return session;
  }

  private async post(
    target: UpstreamTarget,
    session: UpstreamSession,
    message: OutgoingRequest,
    onInbound?: InboundListener,
    signal?: AbortSignal,
  ): Promise<{ kind: "response"; message: UpstreamResponseMessage } | { kind: "session-expired" }> {
    try {
      const response = await this.send(target, session, message, signal);
      if (response.statusCode === 404 && session.sessionId) {
        await response.body.dump();
        return { kind: "session-expired" };
      }
      const contentType = String(response.headers["content-type"] ?? "");
      if (response.statusCode !== 200 && !contentType.startsWith("application/json")) {
        await response.body.dump();
        throw new UpstreamError("unavailable", `HTTP ${response.statusCode}`);
      }
      return { kind: "response", message: await readAnswer(contentType, response.body, message.id, onInbound) };
    } catch (error) {
      const failure = signal?.aborted ? new UpstreamError("cancelled", "the caller cancelled") : asUpstreamError(error);
      if (failure.kind === "timeout" || failure.kind === "cancelled")
        void this.cancelUpstream(target, session, message.id, failure.kind);
      throw failure;
    }
  }

  /** Tells the upstream to stop working on a request nobody waits for any more. */
  private async cancelUpstream(
    target: UpstreamTarget,
    session: UpstreamSession,
    id: string,
    reason: string,
  ): Promise<void> {
    const notice = { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason } };
    await this.send(target, session, notice)
      .then((response) => response.body.dump())
      .catch(() => {
        // Best effort: an upstream that cannot be reached is not working on it either.
      });
  }

  private newId(): string {
    return `${this.idPrefix}${this.nextId++}`;
  }

  private headers(target: UpstreamTarget, session: UpstreamOrigin): Record<string, string> {
    const headers: Record<string, string> = {
      ...target.headers,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": session.protocolVersion,
    };
    if (session.sessionId) headers["mcp-session-id"] = session.sessionId;
    return headers;
  }

  private async send(target: UpstreamTarget, session: UpstreamOrigin, message: unknown, signal?: AbortSignal) {
    const headers = this.headers(target, session);
    try {
      return await this.pools.get(target.origin).request({
        method: "POST",
        path: target.path,
        headers,
        body: JSON.stringify(message),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw asUpstreamError(error);
    }
  }
}

/** Upstream sessions are per principal, upstream and declared client capabilities. */
function sessionKey(principalId: string, target: UpstreamTarget, capabilities: Record<string, unknown>): string {
  return [principalId, target.serverId, capabilitiesKey(capabilities)].join("\u0000");
}

async function readAnswer(
  contentType: string,
  body: AsyncIterable<Buffer>,
  id: JsonRpcId,
  onInbound?: InboundListener,
): Promise<UpstreamResponseMessage> {
  try {
    return await readJsonRpcResponse(contentType, body, id, onInbound);
  } catch (error) {
    throw asUpstreamError(error);
  }
}

function asUpstreamError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new UpstreamError("timeout", error.message);
  }
  if (error instanceof SyntaxError) return new UpstreamError("protocol", "the upstream answered malformed JSON");
  return new UpstreamError("unavailable", error instanceof Error ? error.message : String(error));
}
