import { createServer, type Server } from "node:http";
import { Pool } from "undici";

/**
 * The floor for one hop in Node: a pass-through proxy that parses nothing and streams the request
 * and the answer through a pooled keep-alive connection.
 */
export function startBareProxy(port: number, targetUrl: string): Promise<Server> {
  const target = new URL(targetUrl);
  const pool = new Pool(target.origin, { connections: 64, keepAliveTimeout: 60_000 });
  const server = createServer(async (req, res) => {
    try {
      const upstream = await pool.request({
        method: "POST",
        path: target.pathname,
        headers: {
          "content-type": "application/json",
          "content-length": req.headers["content-length"] ?? "",
          accept: req.headers.accept ?? "application/json",
        },
        body: req,
      });
      res.writeHead(upstream.statusCode, {
        "content-type": String(upstream.headers["content-type"] ?? "application/json"),
      });
      for await (const chunk of upstream.body) res.write(chunk);
      res.end();
    } catch {
      res.writeHead(502).end();
    }
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
