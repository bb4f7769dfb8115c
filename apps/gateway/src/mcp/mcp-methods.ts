import type { Logger } from "pino";
import type { CallScope } from "../enforcement/call-scope.js";
import { resolveToolCall } from "../enforcement/resolve-tool-call.js";
import type { ToolCatalog } from "../enforcement/tool-catalog.js";
import { listVisibleTools } from "../enforcement/visible-tools.js";
import type { UpstreamClient } from "../upstream/upstream-client.js";
import { UpstreamError } from "../upstream/upstream-error.js";
import { JsonRpcErrorCode, type JsonRpcRequest, jsonRpcError } from "./json-rpc.js";
import { negotiateProtocolVersion } from "./protocol-versions.js";

const SERVER_INFO = { name: "switchboard", version: "0.1.0" };

const UPSTREAM_FAILURE_MESSAGES: Record<UpstreamError["kind"], string> = {
  timeout: "Upstream timed out",
  unavailable: "Upstream unavailable",
  protocol: "Upstream answered with an invalid MCP message",
};

/** The MCP methods the gateway answers; everything else is "method not found". */
export class McpMethods {
  constructor(
    private readonly catalog: ToolCatalog,
    private readonly upstreams: UpstreamClient,
    private readonly logger: Logger,
  ) {}

  async handle(request: JsonRpcRequest, scope: CallScope): Promise<unknown> {
    try {
      switch (request.method) {
        case "initialize":
          return this.result(request, {
            protocolVersion: negotiateProtocolVersion(request.params?.protocolVersion),
            capabilities: { tools: {} },
            serverInfo: SERVER_INFO,
          });
        case "ping":
          return this.result(request, {});
        case "tools/list":
          return await this.listTools(request, scope);
        case "tools/call":
          return await this.callTool(request, scope);
        default:
          return jsonRpcError(request.id, JsonRpcErrorCode.methodNotFound, `Method not found: ${request.method}`);
      }
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      this.logger.warn({ method: request.method, reason: error.message }, "upstream call failed");
      return jsonRpcError(request.id, JsonRpcErrorCode.internalError, UPSTREAM_FAILURE_MESSAGES[error.kind]);
    }
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
    if (scope.single && failedServers.length > 0) throw new UpstreamError("unavailable", "tools/list failed");
    return this.result(request, { tools });
  }

  private async callTool(request: JsonRpcRequest, scope: CallScope) {
    const name = request.params?.name;
    if (typeof name !== "string" || name.length === 0) {
      return jsonRpcError(request.id, JsonRpcErrorCode.invalidParams, 'tools/call needs a "name"');
    }
    const resolved = await resolveToolCall(scope, this.catalog, name);
    if (!resolved) return jsonRpcError(request.id, JsonRpcErrorCode.invalidParams, `Unknown tool: ${name}`);
    const answer = await this.upstreams.request(scope.principal.userId, resolved.target, "tools/call", {
      ...request.params,
      name: resolved.upstreamName,
    });
    return "error" in answer && answer.error !== undefined
      ? { jsonrpc: "2.0", id: request.id, error: answer.error }
      : { jsonrpc: "2.0", id: request.id, result: answer.result };
  }
}
