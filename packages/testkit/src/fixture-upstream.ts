import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { McpServer, type RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export type RecordedHeaders = Record<string, string | string[] | undefined>;

export type FixtureUpstream = {
  url: string;
  /** The headers of every HTTP request this upstream received, in order. */
  receivedHeaders: RecordedHeaders[];
  /** How many `wait` calls were cancelled by their client before they finished. */
  cancelledCalls(): number;
  /**
   * Changes a tool's description from now on, in every session (each is told its tool list changed):
   * what a "rug pull" looks like from outside.
   */
  setToolDescription(name: string, description: string): void;
  close(): Promise<void>;
};

const DEFAULT_DESCRIPTIONS: Record<string, string> = {
  echo: "Echoes a message",
  add: "Adds two numbers",
  wait: "Answers after the given milliseconds, unless cancelled first",
  whoami: "Names this upstream",
};

type FixtureSession = { server: McpServer; tools: Map<string, RegisteredTool> };

function buildServer(onCancelled: () => void, descriptions: Map<string, string>): FixtureSession {
  const server = new McpServer({ name: "fixture-upstream", version: "1.0.0" });
  const describe = (name: string) => descriptions.get(name) ?? DEFAULT_DESCRIPTIONS[name];
  const tools = new Map<string, RegisteredTool>();
  const register: McpServer["registerTool"] = (name, config, callback) => {
    const tool = server.registerTool(name, config, callback);
    tools.set(name, tool);
    return tool;
  };
  register("echo", { description: describe("echo"), inputSchema: { message: z.string() } }, async ({ message }) => ({
    content: [{ type: "text", text: `echo: ${message}` }],
  }));
  register(
    "add",
    { description: describe("add"), inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
  );
  register(
    "wait",
    { description: describe("wait"), inputSchema: { ms: z.number() } },
    async ({ ms }, extra) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ content: [{ type: "text", text: `waited ${ms} ms` }] }), ms);
        extra.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          onCancelled();
          resolve({ content: [{ type: "text", text: "cancelled" }] });
        });
      }),
  );
  register("whoami", { description: describe("whoami") }, async () => ({
    content: [{ type: "text", text: "fixture-upstream" }],
  }));
  return { server, tools };
}

function jsonRpcFailure(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message } }));
}

/**
 * An MCP upstream of our own, built with the official SDK, that records the headers of every
 * request it receives — so tests can prove what a gateway forwards and what it never does.
 */
export async function startFixtureUpstream(
  options: { requiredHeaders?: Record<string, string> } = {},
): Promise<FixtureUpstream> {
  const receivedHeaders: RecordedHeaders[] = [];
  let cancelled = 0;
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const sessions = new Set<FixtureSession>();
  const descriptions = new Map<string, string>();
  const required = Object.entries(options.requiredHeaders ?? {}).map(([name, value]) => [name.toLowerCase(), value]);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    receivedHeaders.push({ ...req.headers });
    if (req.url?.split("?")[0] !== "/mcp") return jsonRpcFailure(res, 404, "Not found");
    if (required.some(([name, value]) => req.headers[name as string] !== value)) {
      return jsonRpcFailure(res, 401, "Missing or wrong upstream credential");
    }
    const sessionId = req.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const transport = transports.get(sessionId);
      if (!transport) return jsonRpcFailure(res, 404, "Session not found");
      return transport.handleRequest(req, res);
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void transports.set(id, transport),
    });
    const session = buildServer(() => cancelled++, descriptions);
    sessions.add(session);
    transport.onclose = () => {
      if (transport.sessionId) transports.delete(transport.sessionId);
      sessions.delete(session);
    };
    await session.server.connect(transport);
    await transport.handleRequest(req, res);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) jsonRpcFailure(res, 500, "Fixture failure");
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    receivedHeaders,
    cancelledCalls: () => cancelled,
    setToolDescription: (name, description) => {
      descriptions.set(name, description);
      for (const session of sessions) session.tools.get(name)?.update({ description });
    },
    close: async () => {
      for (const transport of transports.values()) await transport.close().catch(() => {});
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
