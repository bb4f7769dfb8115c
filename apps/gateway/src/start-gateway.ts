import { NatsBus, type PolicyBus } from "@switchboard/bus";
import { DataPlaneUnsealer, SnapshotVerifier } from "@switchboard/snapshot";
import Fastify, { type FastifyBaseLogger, type FastifyError, LogController } from "fastify";
import { pino } from "pino";
import { BearerAuthenticator } from "./auth/bearer-authenticator.js";
import { type GatewayConfig, GatewayConfigError } from "./config/gateway-config.js";
import { ToolCatalog } from "./enforcement/tool-catalog.js";
import { AggregateFeatures } from "./mcp/aggregate-features.js";
import { JsonRpcErrorCode, jsonRpcError } from "./mcp/json-rpc.js";
import { registerMcpEndpoint } from "./mcp/mcp-endpoint.js";
import { McpMethods } from "./mcp/mcp-methods.js";
import { ServerRequestRelay } from "./mcp/server-request-relay.js";
import { SealedCodec } from "./session/sealed-codec.js";
import { SessionSealer } from "./session/session-sealer.js";
import { StreamEventIds } from "./session/stream-event-ids.js";
import { LastKnownGoodStore } from "./snapshot/last-known-good.js";
import { SnapshotLifecycle, type SnapshotState } from "./snapshot/snapshot-lifecycle.js";
import { GatewayMetrics } from "./telemetry/gateway-metrics.js";
import { TokenUsage } from "./telemetry/token-usage.js";
import { UpstreamClient } from "./upstream/upstream-client.js";
import { UpstreamPools } from "./upstream/upstream-pools.js";

export type RunningGateway = {
  /** Base URL, e.g. http://127.0.0.1:8080 (MCP at `${url}/mcp`). */
  url: string;
  gatewayId: string;
  snapshotState(): SnapshotState;
  close(): Promise<void>;
};

const MAX_HEADER_BYTES = 16 * 1024;

/** Starts one gateway: snapshot lifecycle, MCP endpoint, health and metrics. */
export async function startGateway(
  config: GatewayConfig,
  options: { bus?: PolicyBus; logger?: boolean } = {},
): Promise<RunningGateway> {
  const logger = pino({
    level: options.logger === false ? "silent" : (process.env.LOG_LEVEL ?? "info"),
    base: { gatewayId: config.gatewayId },
    redact: ["req.headers.authorization", "headers.authorization"],
  });
  const ownsBus = !options.bus;
  const bus = options.bus ?? natsBusFor(config);

  const metrics = new GatewayMetrics();
  const codec = new SealedCodec(config.sessionSecret);
  const pools = new UpstreamPools();
  const upstreams = new UpstreamClient(pools, config.upstreamTimeoutMs);
  const catalog = new ToolCatalog(upstreams);
  const lifecycle = new SnapshotLifecycle(
    config.gatewayId,
    new SnapshotVerifier(config.trustedKeys),
    await DataPlaneUnsealer.fromPrivateJwk(config.dataPlanePrivateKey),
    new LastKnownGoodStore(config.snapshotDir),
    bus,
    logger,
    (policy) => {
      pools.reconcile(new Set([...policy.upstreams.values()].map((target) => target.origin)));
      upstreams.forgetServersExcept(new Set(policy.upstreams.keys()));
      metrics.snapshotVersion.set(policy.index.version);
    },
  );

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // A log line per request would cost more than the request itself on the hot path.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { maxParamLength: 200 },
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    clientErrorHandler: (error, socket) => {
      const status = (error as NodeJS.ErrnoException).code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
      metrics.rejections.inc({ status });
      const body = JSON.stringify(
        jsonRpcError(
          null,
          JsonRpcErrorCode.invalidRequest,
          status === 431 ? "Request headers too large" : "Bad request",
        ),
      );
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status} ${status === 431 ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
            `Connection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      }
    },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    metrics.rejections.inc({ status });
    if (status === 500) logger.error({ err: error }, "unexpected error");
    const message =
      status === 413
        ? "Payload Too Large"
        : status === 415
          ? "Unsupported Media Type: send application/json"
          : status === 500
            ? "Internal error"
            : "Bad Request";
    const code = status === 500 ? JsonRpcErrorCode.internalError : JsonRpcErrorCode.invalidRequest;
    return reply
      .code(status)
      .type("application/json")
      .send(jsonRpcError(null, code, message));
  });
  app.setNotFoundHandler((_request, reply) =>
    reply
      .code(404)
      .type("application/json")
      .send(jsonRpcError(null, JsonRpcErrorCode.invalidRequest, "Not Found")),
  );

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const state = lifecycle.state();
    if (!state.ready) return reply.code(503).send({ status: "not_ready" });
    return { status: "ready", version: state.version, sha256: state.sha256, stale: state.stale };
  });
  app.get("/metrics", async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  const serverRequests = new ServerRequestRelay(codec, upstreams, logger);
  const tokenUsage = new TokenUsage(bus, config.gatewayId, config.usageReportMs, logger);
  registerMcpEndpoint(app, {
    upstreams,
    tokenUsage,
    toolNameSeparator: config.toolNameSeparator,
    notifications: {
      lifecycle,
      upstreams,
      catalog,
      serverRequests,
      eventIds: new StreamEventIds(codec),
      logger,
    },
    lifecycle,
    authenticator: new BearerAuthenticator(config.tokenDigestKey),
    methods: new McpMethods(catalog, upstreams, new AggregateFeatures(upstreams, codec), logger),
    metrics,
    sessions: new SessionSealer(codec, config.sessionMaxAgeMs),
    serverRequests,
    allowedOrigins: config.allowedOrigins,
    allowedHosts: config.allowedHosts,
    boundToLoopback: ["127.0.0.1", "localhost", "::1"].includes(config.host),
  });

  await lifecycle.start();
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;

  return {
    url: `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`,
    gatewayId: config.gatewayId,
    snapshotState: () => lifecycle.state(),
    close: async () => {
      // Requests in flight get the grace period to finish; a connection still open after it (a
      // client that connected and went quiet) must not hold the shutdown open.
      const deadline = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceMs);
      await app.close().finally(() => clearTimeout(deadline));
      await tokenUsage.stop();
      await lifecycle.stop();
      await pools.close();
      await upstreams.closeStreams();
      if (ownsBus) await bus.close();
    },
  };
}

/** Connects in the background: a gateway must start and serve its last-known-good without NATS. */
function natsBusFor(config: GatewayConfig): PolicyBus {
  if (!config.natsUrl) throw new GatewayConfigError("invalid gateway configuration:\n  NATS_URL: is required");
  return NatsBus.open({ servers: config.natsUrl, fleet: config.fleet, name: config.gatewayId });
}
