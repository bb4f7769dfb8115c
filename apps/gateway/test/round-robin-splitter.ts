import { createServer, type Server } from "node:http";
import { request } from "undici";

export type SplitterOptions = {
  /** Headers added to every forwarded request (e.g. a bearer token for a client that cannot send one). */
  addHeaders?: Record<string, string>;
};

/**
 * A load balancer without affinity, for tests: each request goes to the next backend in turn, with
 * its Host header kept, bodies and event streams passed through as they come.
 */
export async function startRoundRobinSplitter(
  backends: string[],
  options: SplitterOptions = {},
): Promise<{ url: string; hits: number[]; close(): Promise<void> }> {
  const hits = backends.map(() => 0);
  let next = 0;
  const server: Server = createServer(async (req, res) => {
    const index = next++ % backends.length;
    hits[index] = (hits[index] ?? 0) + 1;
    try {
      const { connection: _connection, ...headers } = req.headers;
      const upstream = await request(`${backends[index]}${req.url}`, {
        method: req.method as "GET" | "POST" | "DELETE",
        headers: { ...headers, ...options.addHeaders },
        body: req.method === "POST" ? req : undefined,
      });
      const responseHeaders = Object.fromEntries(
        Object.entries(upstream.headers).filter(
          ([name]) => !["connection", "transfer-encoding", "keep-alive"].includes(name),
        ),
      );
      res.once("close", () => upstream.body.destroy());
      res.writeHead(upstream.statusCode, responseHeaders as Record<string, string>);
      for await (const chunk of upstream.body) res.write(chunk);
      res.end();
    } catch {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
