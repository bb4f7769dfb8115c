import type { ScopedPrincipal } from "@switchboard/snapshot";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { BearerAuthenticator } from "../auth/bearer-authenticator.js";
import { principalKey } from "../enforcement/call-scope.js";
import { type Endpoint, type EndpointAddress, resolveEndpoint } from "../enforcement/endpoint.js";
import type { McpSession, SessionSealer } from "../session/session-sealer.js";
import type { ActivePolicy } from "../snapshot/active-policy.js";
import type { SnapshotLifecycle } from "../snapshot/snapshot-lifecycle.js";
import type { GatewayMetrics } from "../telemetry/gateway-metrics.js";
import { methodLabel } from "../telemetry/method-label.js";
import type { TokenUsage } from "../telemetry/token-usage.js";
import { type BoundUpstreamSession, boundRequestId, type UpstreamClient } from "../upstream/upstream-client.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import { EventStreamReply } from "./event-stream-reply.js";
import { acceptsMcpResponses, hasSupportedProtocolVersion, isHostAllowed, isOriginAllowed } from "./http-guards.js";
import {
  type JsonRpcErrorBody,
  JsonRpcErrorCode,
  type JsonRpcRequest,
  jsonRpcError,
  parseJsonRpcMessage,
} from "./json-rpc.js";
import type { McpMethods } from "./mcp-methods.js";
import { negotiateProtocolVersion } from "./protocol-versions.js";
import type { ServerRequestRelay } from "./server-request-relay.js";
import { openSessionNotifications, type SessionNotificationDependencies } from "./session-notifications.js";
import { boundSessions, openUpstreamSessions } from "./upstream-binding.js";

export type McpEndpointDependencies = {
  lifecycle: SnapshotLifecycle;
  upstreams: UpstreamClient;
  notifications: SessionNotificationDependencies;
  toolNameSeparator: string;
  tokenUsage: TokenUsage;
  authenticator: BearerAuthenticator;
  methods: McpMethods;
  metrics: GatewayMetrics;
  sessions: SessionSealer;
  serverRequests: ServerRequestRelay;
  allowedOrigins: string[];
  allowedHosts: string[];
  boundToLoopback: boolean;
};

type SlugParams = { serverSlug?: string; virtualSlug?: string };
type Caller = {
  policy: ActivePolicy;
  principal: ScopedPrincipal;
  address: EndpointAddress;
  endpoint: Endpoint;
  separator: string;
};

function addressOf(params: SlugParams): EndpointAddress {
  if (params.virtualSlug !== undefined) return { kind: "virtual", slug: params.virtualSlug };
  if (params.serverSlug !== undefined) return { kind: "server", slug: params.serverSlug };
  return { kind: "aggregate" };
}

/**
 * Streamable HTTP at `/mcp` (every server the caller may use), `/mcp/{slug}` (one server) and
 * `/mcp/v/{slug}` (a virtual server).
 * `initialize` opens a session whose id is the session itself, sealed and bound to the caller, so
 * any pod serves any request of it. GET opens the session's notification stream.
 */
export function registerMcpEndpoint(app: FastifyInstance, dependencies: McpEndpointDependencies): void {
  const { lifecycle, authenticator, methods, metrics, sessions, serverRequests, allowedOrigins, upstreams } =
    dependencies;
  const {
    allowedHosts,
    boundToLoopback,
    notifications: notificationDependencies,
    toolNameSeparator,
    tokenUsage,
  } = dependencies;

  const refuse = (reply: FastifyReply, status: number, body: JsonRpcErrorBody) => {
    metrics.rejections.inc({ status });
    return reply.code(status).type("application/json").send(body);
  };
  const fail = (reply: FastifyReply, status: number, code: number, message: string) =>
    refuse(reply, status, jsonRpcError(null, code, message));

  /** Origin, readiness, bearer token and target checks shared by POST and DELETE; sends the error itself. */
  const identify = (request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply): Caller | undefined => {
    if (!isOriginAllowed(request, allowedOrigins) || !isHostAllowed(request, allowedHosts, boundToLoopback)) {
      fail(reply, 403, JsonRpcErrorCode.invalidRequest, "Forbidden: host or origin not allowed");
      return undefined;
    }
    const policy = lifecycle.policy;
    if (!policy) {
      fail(reply, 503, JsonRpcErrorCode.internalError, "Service Unavailable: no policy snapshot is active yet");
      return undefined;
    }
    const authentication = authenticator.authenticate(policy.index, request.headers.authorization);
    if (!authentication.ok) {
      const challenge = authentication.tokenPresented
        ? 'Bearer realm="switchboard", error="invalid_token"'
        : 'Bearer realm="switchboard"';
      reply.header("www-authenticate", challenge);
      fail(reply, 401, JsonRpcErrorCode.invalidRequest, "Unauthorized: a valid bearer token is required");
      return undefined;
    }
    tokenUsage.record(authentication.principal.tokenId);
    const address = addressOf(request.params);
    const endpoint = resolveEndpoint(policy, authentication.principal, address);
    if (!endpoint) {
      fail(reply, 404, JsonRpcErrorCode.invalidRequest, `Not Found: no MCP server "${address.slug}"`);
      return undefined;
    }
    return { policy, principal: authentication.principal, address, endpoint, separator: toolNameSeparator };
  };

  /** A session id must open, belong to this caller and this endpoint; otherwise it does not exist. */
  const matchingSession = (request: FastifyRequest, caller: Caller): McpSession | undefined => {
    const sessionId = request.headers["mcp-session-id"];
    if (typeof sessionId !== "string") return undefined;
    const session = sessions.open(sessionId, Date.now());
    return session?.principal === principalKey(caller.principal) && session.endpoint === caller.endpoint.path
      ? session
      : undefined;
  };

  /** `initialize` opens the agent's upstream sessions and seals them, with the caller, into the session id. */
  const initialize = async (reply: FastifyReply, caller: Caller, message: JsonRpcRequest) => {
    const capabilities = message.params?.capabilities;
    const clientCapabilities =
      typeof capabilities === "object" && capabilities !== null && !Array.isArray(capabilities)
        ? (capabilities as Record<string, unknown>)
        : {};
    const scope = { ...caller, clientCapabilities, bound: {} };
    const opened = await openUpstreamSessions(upstreams, scope, app.log as Logger);
    const session: McpSession = {
      principal: principalKey(caller.principal),
      endpoint: caller.endpoint.path,
      protocolVersion: negotiateProtocolVersion(message.params?.protocolVersion),
      clientCapabilities,
      upstreams: boundSessions(opened),
      issuedAtMs: Date.now(),
    };
    reply.header("mcp-session-id", sessions.seal(session));
    return reply
      .code(200)
      .type("application/json")
      .send(methods.initialize(message, { ...scope, bound: session.upstreams }, opened));
  };

  /**
   * Stops a request wherever it runs: here by aborting it, on another pod by telling the agent's
   * bound upstream sessions to cancel the upstream request id derived from the agent's.
   */
  const cancel = (caller: Caller, request: FastifyRequest, session: McpSession | undefined, requestId: unknown) => {
    const local = inflight.get(inflightKey(caller, request, requestId));
    if (local) {
      local.abort();
      return;
    }
    forEachBound(caller, session, (target, bound) =>
      upstreams.cancel(target, bound, boundRequestId(requestId), "cancelled by the client"),
    );
  };

  /** Tells each of the session's bound upstream sessions something, best effort, without waiting. */
  const forEachBound = (
    caller: Caller,
    session: McpSession | undefined,
    tell: (target: UpstreamTarget, bound: BoundUpstreamSession) => Promise<void>,
  ) => {
    for (const [serverId, bound] of Object.entries(session?.upstreams ?? {})) {
      const target = caller.policy.upstreams.get(serverId);
      if (target) {
        tell(target, bound).catch((error: unknown) => {
          app.log.debug({ server: target.slug, reason: String(error) }, "could not notify an upstream session");
        });
      }
    }
  };

  const post = async (request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply) => {
    if (!hasSupportedProtocolVersion(request)) {
      return fail(reply, 400, JsonRpcErrorCode.invalidRequest, "Bad Request: unsupported MCP-Protocol-Version");
    }
    if (!acceptsMcpResponses(request)) {
      return fail(
        reply,
        406,
        JsonRpcErrorCode.invalidRequest,
        "Not Acceptable: accept application/json and text/event-stream",
      );
    }
    if (!Buffer.isBuffer(request.body)) {
      return fail(reply, 415, JsonRpcErrorCode.invalidRequest, "Unsupported Media Type: send application/json");
    }
    const caller = identify(request, reply);
    if (!caller) return reply;
    const parsed = parseJsonRpcMessage(request.body);
    if (!parsed.ok) return refuse(reply, 400, parsed.error);

    if (parsed.value.kind === "request" && parsed.value.message.method === "initialize") {
      return initialize(reply, caller, parsed.value.message);
    }
    let session: McpSession | undefined;
    if (request.headers["mcp-session-id"] !== undefined) {
      session = matchingSession(request, caller);
      if (!session)
        return fail(reply, 404, JsonRpcErrorCode.invalidRequest, "Not Found: unknown session, initialize a new one");
    }
    if (parsed.value.kind === "notification") {
      const notification = parsed.value.message;
      if (notification.method === "notifications/cancelled") {
        cancel(caller, request, session, notification.params?.requestId);
      } else if (notification.method === "notifications/roots/list_changed") {
        forEachBound(caller, session, (target, bound) => upstreams.notify(target, bound, notification));
      }
      return reply.code(202).send();
    }
    if (parsed.value.kind === "response") {
      const response = parsed.value.message;
      if (!serverRequests.isRelayedId(response.id)) return reply.code(202).send();
      const delivered = await serverRequests.answer(
        caller.policy.index,
        caller.policy.upstreams,
        caller.principal,
        response,
      );
      if (!delivered)
        return fail(reply, 404, JsonRpcErrorCode.invalidRequest, "Not Found: no pending request with this id");
      return reply.code(202).send();
    }

    const message = parsed.value.message;
    const clientCapabilities = session?.clientCapabilities ?? {};
    const method = methodLabel(message.method);
    const stopTimer = metrics.duration.startTimer({ method });
    const stream = new EventStreamReply(reply);
    const cancellation = new AbortController();
    const key = inflightKey(caller, request, message.id);
    inflight.set(key, cancellation);
    const relay = serverRequests.relayFor(caller.principal, clientCapabilities, cancellation.signal, (outbound) =>
      stream.send(outbound),
    );
    const answer = await methods
      .handle(message, { ...caller, clientCapabilities, bound: session?.upstreams ?? {} }, relay)
      .finally(() => inflight.delete(key));
    stopTimer();
    metrics.requests.inc({ method, outcome: "error" in (answer as object) ? "error" : "ok" });
    if (!stream.isStreaming) return reply.code(200).type("application/json").send(answer);
    stream.finish(answer);
    return reply;
  };

  /** Sessions live in their ids, so ending one only has to confirm it was the caller's. */
  const endSession = async (request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply) => {
    if (request.headers["mcp-session-id"] === undefined) {
      return fail(reply, 400, JsonRpcErrorCode.invalidRequest, "Bad Request: Mcp-Session-Id is required");
    }
    const caller = identify(request, reply);
    if (!caller) return reply;
    const session = matchingSession(request, caller);
    if (!session) {
      return fail(reply, 404, JsonRpcErrorCode.invalidRequest, "Not Found: unknown session");
    }
    await Promise.all(
      Object.entries(session.upstreams).map(([serverId, bound]) => {
        const target = caller.policy.upstreams.get(serverId);
        return target ? upstreams.close(target, bound) : undefined;
      }),
    );
    return reply.code(200).send();
  };

  /** Ends each open notification stream. */
  const openStreams = new Set<() => void>();
  /**
   * Requests in progress on this pod, so `notifications/cancelled` can stop them. A cancellation
   * that lands on another pod finds nothing there; the request then runs to its end or timeout.
   */
  const inflight = new Map<string, AbortController>();
  const inflightKey = (caller: Caller, request: FastifyRequest, id: unknown) =>
    `${principalKey(caller.principal)}\u0000${String(request.headers["mcp-session-id"] ?? "")}\u0000${JSON.stringify(id)}`;
  // Long-lived streams would hold a graceful shutdown open forever; clients reconnect elsewhere.
  app.addHook("preClose", async () => {
    for (const end of openStreams) end();
  });

  /** GET opens the session's notification stream (see session-notifications.ts). */
  const openNotificationStream = async (request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply) => {
    if (!(request.headers.accept ?? "").includes("text/event-stream")) {
      return fail(reply, 406, JsonRpcErrorCode.invalidRequest, "Not Acceptable: accept text/event-stream");
    }
    const sessionId = request.headers["mcp-session-id"];
    if (typeof sessionId !== "string") {
      return fail(reply, 400, JsonRpcErrorCode.invalidRequest, "Bad Request: Mcp-Session-Id is required");
    }
    const caller = identify(request, reply);
    if (!caller) return reply;
    const session = matchingSession(request, caller);
    if (!session) {
      return fail(reply, 404, JsonRpcErrorCode.invalidRequest, "Not Found: unknown session, initialize a new one");
    }
    const lastEventId = request.headers["last-event-id"];
    const end = openSessionNotifications(
      notificationDependencies,
      { ...caller, session, sessionId, lastEventId: typeof lastEventId === "string" ? lastEventId : undefined },
      reply,
      () => {
        metrics.notificationStreams.dec();
        openStreams.delete(end as () => void);
      },
    );
    if (!end) {
      return fail(reply, 400, JsonRpcErrorCode.invalidRequest, "Bad Request: unknown Last-Event-ID, open a new stream");
    }
    metrics.notificationStreams.inc();
    openStreams.add(end);
    return reply;
  };

  const notAllowed = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.header("allow", "GET, POST, DELETE");
    return fail(reply, 405, JsonRpcErrorCode.invalidRequest, "Method Not Allowed");
  };

  for (const url of ["/mcp", "/mcp/:serverSlug", "/mcp/v/:virtualSlug"]) {
    app.post(url, post);
    app.delete(url, endSession);
    app.get(url, openNotificationStream);
    app.route({ method: ["PUT", "PATCH"], url, handler: notAllowed });
  }
}
