import type { Logger } from "pino";
import { type CallScope, principalKey } from "../enforcement/call-scope.js";
import { featureServers } from "../enforcement/feature-servers.js";
import { resolveToolCall } from "../enforcement/resolve-tool-call.js";
import type { ToolCatalog } from "../enforcement/tool-catalog.js";
import { listVisibleTools } from "../enforcement/visible-tools.js";
import { boundRequestId, type UpstreamClient, type UpstreamRequestOptions } from "../upstream/upstream-client.js";
import { UpstreamError } from "../upstream/upstream-error.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import type { AggregateFeatures } from "./aggregate-features.js";
import { JsonRpcErrorCode, type JsonRpcRequest, jsonRpcError } from "./json-rpc.js";
import { PASS_THROUGH_METHODS } from "./pass-through-methods.js";
import { negotiateProtocolVersion } from "./protocol-versions.js";
import type { Relay } from "./server-request-relay.js";
import type { OpenedUpstreams } from "./upstream-binding.js";

const SERVER_INFO = { name: "switchboard", version: "0.1.0" };

const UPSTREAM_FAILURE_MESSAGES: Record<UpstreamError["kind"], string> = {
  timeout: "Upstream timed out",
  cancelled: "Request cancelled",
  unavailable: "Upstream unavailable",
  protocol: "Upstream answered with an invalid MCP message",
};

/** The MCP methods the gateway answers; everything else is "method not found". */
export class McpMethods {
  constructor(
    private readonly catalog: ToolCatalog,
    private readonly upstreams: UpstreamClient,
    private readonly aggregate: AggregateFeatures,
    private readonly logger: Logger,
  ) {}

  /** Answers `initialize`, advertising what the upstream sessions just opened for the agent declared. */
  initialize(request: JsonRpcRequest, scope: CallScope, opened: OpenedUpstreams) {
    return this.result(request, {
      protocolVersion: negotiateProtocolVersion(request.params?.protocolVersion),
      capabilities: this.capabilities(scope, opened),
      serverInfo: SERVER_INFO,
    });
  }

  /** Answers one request; notifications the upstream sends while working on it go to `relay`. */
  async handle(request: JsonRpcRequest, scope: CallScope, relay?: Relay): Promise<unknown> {
    try {
      switch (request.method) {
        case "ping":
          return this.result(request, {});
        case "tools/list":
          return await this.listTools(request, scope);
        case "tools/call":
          return await this.callTool(request, scope, relay);
        default:
          if (PASS_THROUGH_METHODS.has(request.method) && featureServers(scope).length > 0) {
            return scope.endpoint.kind === "aggregate"
              ? await this.aggregate.handle(request, scope, (target) =>
                  upstreamOptions(scope, relay, target, request.id),
                )
              : await this.forward(request, scope, relay);
          }
          return jsonRpcError(request.id, JsonRpcErrorCode.methodNotFound, `Method not found: ${request.method}`);
      }
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      this.logger.warn({ method: request.method, reason: error.message }, "upstream call failed");
      return jsonRpcError(request.id, JsonRpcErrorCode.internalError, UPSTREAM_FAILURE_MESSAGES[error.kind]);
    }
  }

  /**
   * Never advertise what cannot be delivered: upstream features only where they pass through, and
   * subscriptions and list changes only from upstreams whose session is bound to the agent's (their
   * event streams are the ones relayed).
   */
  private capabilities(scope: CallScope, opened: OpenedUpstreams): Record<string, unknown> {
    const declared = featureServers(scope).flatMap((target) => {
      const capabilities = opened.get(target)?.capabilities;
      return capabilities ? [{ capabilities, bound: scope.bound[target.serverId] !== undefined }] : [];
    });
    const flag = (feature: string, flagName: string) =>
      declared.some(
        ({ capabilities, bound }) =>
          bound && (capabilities[feature] as Record<string, unknown> | undefined)?.[flagName] === true,
      );
    const has = (feature: string) => declared.some(({ capabilities }) => capabilities[feature] !== undefined);
    return {
      tools: { listChanged: true },
      ...(has("resources")
        ? {
            resources: {
              ...(flag("resources", "subscribe") ? { subscribe: true } : {}),
              ...(flag("resources", "listChanged") ? { listChanged: true } : {}),
            },
          }
        : {}),
      ...(has("prompts") ? { prompts: flag("prompts", "listChanged") ? { listChanged: true } : {} } : {}),
      ...(has("completions") ? { completions: {} } : {}),
      ...(has("logging") ? { logging: {} } : {}),
    };
  }

  private async forward(request: JsonRpcRequest, scope: CallScope, relay?: Relay) {
    const target = featureServers(scope)[0] as UpstreamTarget;
    const answer = await this.upstreams.request(
      principalKey(scope.principal),
      target,
      request.method,
      request.params ?? {},
      upstreamOptions(scope, relay, target, request.id),
    );
    return this.relayAnswer(request, answer);
  }

  private relayAnswer(request: JsonRpcRequest, answer: { result?: unknown; error?: unknown }) {
    return answer.error !== undefined
      ? { jsonrpc: "2.0", id: request.id, error: answer.error }
      : { jsonrpc: "2.0", id: request.id, result: answer.result };
  }

  private result(request: JsonRpcRequest, result: unknown) {
    return { jsonrpc: "2.0", id: request.id, result };
  }

  private async listTools(request: JsonRpcRequest, scope: CallScope) {
    if (request.params?.cursor !== undefined) {
      return jsonRpcError(request.id, JsonRpcErrorCode.invalidParams, "Invalid cursor");
    }
    const { tools, failedServers } = await listVisibleTools(scope, this.catalog);
    if (failedServers.length > 0) this.logger.warn({ servers: failedServers }, "tools/list left out failing upstreams");
    if (scope.endpoint.kind !== "aggregate" && failedServers.length > 0)
      throw new UpstreamError("unavailable", "tools/list failed");
    return this.result(request, { tools });
  }

  private async callTool(request: JsonRpcRequest, scope: CallScope, relay?: Relay) {
    const name = request.params?.name;
    if (typeof name !== "string" || name.length === 0) {
      return jsonRpcError(request.id, JsonRpcErrorCode.invalidParams, 'tools/call needs a "name"');
    }
    const resolved = await resolveToolCall(scope, this.catalog, name);
    if (!resolved) return jsonRpcError(request.id, JsonRpcErrorCode.invalidParams, `Unknown tool: ${name}`);
    // Tasks are not offered (no `tasks` capability, `tasks/*` unknown), so a task-augmented call
    // runs as a plain one: the agent gets the result instead of a task it could never poll.
    const { task: _task, ...rest } = request.params ?? {};
    const params = { ...rest, name: resolved.upstreamName };
    const answer = await this.upstreams.request(
      principalKey(scope.principal),
      resolved.target,
      "tools/call",
      params,
      upstreamOptions(scope, relay, resolved.target, request.id),
    );
    return this.relayAnswer(request, answer);
  }
}

function upstreamOptions(
  scope: CallScope,
  relay: Relay | undefined,
  target: UpstreamTarget,
  agentRequestId: unknown,
): UpstreamRequestOptions {
  const bound = scope.bound[target.serverId];
  return {
    clientCapabilities: scope.clientCapabilities,
    ...(bound ? { bound, requestId: boundRequestId(agentRequestId) } : {}),
    ...(relay
      ? { signal: relay.signal, onInbound: (message, origin) => relay.onInbound(message, origin, target) }
      : {}),
  };
}
