import { serverAccess } from "@switchboard/snapshot";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { BearerAuthenticator } from "../auth/bearer-authenticator.js";
import type { SnapshotLifecycle } from "../snapshot/snapshot-lifecycle.js";
import type { GatewayMetrics } from "../telemetry/gateway-metrics.js";
import { acceptsMcpResponses, hasSupportedProtocolVersion, isOriginAllowed } from "./http-guards.js";
import { JsonRpcErrorCode, jsonRpcError, parseJsonRpcMessage } from "./json-rpc.js";
import type { McpMethods } from "./mcp-methods.js";

export type McpEndpointDependencies = {
  lifecycle: SnapshotLifecycle;
  authenticator: BearerAuthenticator;
  methods: McpMethods;
  metrics: GatewayMetrics;
  allowedOrigins: string[];
};

type SlugParams = { serverSlug?: string };

function fail(reply: FastifyReply, status: number, code: number, message: string) {
  return reply
    .code(status)
    .type("application/json")
    .send(jsonRpcError(null, code, message));
}

/**
 * Streamable HTTP at `/mcp` (every server the caller may use) and `/mcp/{slug}` (one server).
 * This first version is stateless downstream: no session id is issued, GET and DELETE are 405.
 */
export function registerMcpEndpoint(app: FastifyInstance, dependencies: McpEndpointDependencies): void {
  const { lifecycle, authenticator, methods, metrics, allowedOrigins } = dependencies;

  const handle = async (request: FastifyRequest<{ Params: SlugParams }>, reply: FastifyReply) => {
    if (!isOriginAllowed(request, allowedOrigins)) {
      return fail(reply, 403, JsonRpcErrorCode.invalidRequest, "Forbidden: origin not allowed");
    }
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
    const policy = lifecycle.policy;
    if (!policy) {
      return fail(reply, 503, JsonRpcErrorCode.internalError, "Service Unavailable: no policy snapshot is active yet");
    }
    const authentication = authenticator.authenticate(policy.index, request.headers.authorization);
    if (!authentication.ok) {
      const challenge = authentication.tokenPresented
        ? 'Bearer realm="switchboard", error="invalid_token"'
        : 'Bearer realm="switchboard"';
      reply.header("www-authenticate", challenge);
      return fail(reply, 401, JsonRpcErrorCode.invalidRequest, "Unauthorized: a valid bearer token is required");
    }
    const parsed = parseJsonRpcMessage(request.body);
    if (!parsed.ok) return reply.code(400).type("application/json").send(parsed.error);

    let single: ReturnType<typeof policy.upstreams.get>;
    const slug = request.params.serverSlug;
    if (slug !== undefined) {
      const server = policy.index.serversBySlug.get(slug);
      single = server && policy.upstreams.get(server.id);
      if (!server || !single || !serverAccess(policy.index, authentication.principal, server.id)) {
        return fail(reply, 404, JsonRpcErrorCode.invalidRequest, `Not Found: no MCP server "${slug}"`);
      }
    }
    if (parsed.value.kind !== "request") return reply.code(202).send();

    const message = parsed.value.message;
    const stopTimer = metrics.duration.startTimer({ method: message.method });
    const answer = await methods.handle(message, { policy, principal: authentication.principal, single });
    stopTimer();
    metrics.requests.inc({ method: message.method, outcome: "error" in (answer as object) ? "error" : "ok" });
    return reply.code(200).type("application/json").send(answer);
  };

  const methodNotAllowed = async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.header("allow", "POST");
    return fail(
      reply,
      405,
      JsonRpcErrorCode.invalidRequest,
      "Method Not Allowed: this endpoint is stateless, use POST",
    );
  };

  for (const url of ["/mcp", "/mcp/:serverSlug"]) {
    app.post(url, handle);
    app.route({ method: ["GET", "DELETE"], url, handler: methodNotAllowed });
  }
}
