import { createServer, type Server } from "node:http";

/**
 * The upstream every benchmark target calls: a minimal stateless Streamable HTTP MCP server that
 * answers in JSON with as little work as possible, so the cost of each hop in front of it shows.
 */
const TOOLS = [
  {
    name: "echo",
    description: "Echoes the message back",
    inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
  },
];

type JsonRpcRequest = {
  id?: string | number;
  method?: string;
  params?: { name?: string; arguments?: { message?: string } };
};

function answer(request: JsonRpcRequest): unknown {
  switch (request.method) {
    case "initialize":
      return {
        protocolVersion: "2025-11-25",
        capabilities: { tools: {} },
        serverInfo: { name: "fast-upstream", version: "1.0.0" },
      };
    case "tools/list":
      return { tools: TOOLS };
    case "tools/call":
      return { content: [{ type: "text", text: String(request.params?.arguments?.message ?? "") }] };
    case "ping":
      return {};
    default:
      return undefined;
  }
}

export function startFastUpstream(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let request: JsonRpcRequest;
      try {
        request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as JsonRpcRequest;
      } catch {
        res
          .writeHead(400, { "content-type": "application/json" })
          .end('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
        return;
      }
      if (request.id === undefined) {
        res.writeHead(202).end();
        return;
      }
      const result = answer(request);
      const body =
        result === undefined
          ? { jsonrpc: "2.0", id: request.id, error: { code: -32601, message: "Method not found" } }
          : { jsonrpc: "2.0", id: request.id, result };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
