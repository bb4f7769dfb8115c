import { createServer, type Server as HttpServer } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

/**
 * The comparison point a team would write first: a minimal MCP proxy from the SDK's own `Server`
 * and `Client` classes (stateless downstream, one shared upstream client), with no policy at all.
 */
export async function startSdkProxy(port: number, targetUrl: string): Promise<HttpServer> {
  const upstream = new Client({ name: "sdk-proxy", version: "1.0.0" });
  await upstream.connect(new StreamableHTTPClientTransport(new URL(targetUrl)));
  const http = createServer(async (req, res) => {
    const server = new Server({ name: "sdk-proxy", version: "1.0.0" }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, (request) => upstream.listTools(request.params));
    server.setRequestHandler(CallToolRequestSchema, (request) => upstream.callTool(request.params));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.once("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  http.keepAliveTimeout = 60_000;
  return new Promise((resolve) => http.listen(port, "127.0.0.1", () => resolve(http)));
}
