import type { FastifyReply } from "fastify";

const KEEP_ALIVE_MS = 15_000;

/**
 * The standalone event stream a client opens with GET: messages not tied to one of its requests.
 * Comments keep idle proxies from closing it.
 */
export class NotificationStream {
  private readonly keepAlive: NodeJS.Timeout;

  constructor(
    private readonly reply: FastifyReply,
    onClose: () => void,
  ) {
    reply.hijack();
    const raw = reply.raw;
    raw.on("error", () => {
      // The client went away; `close` cleans up.
    });
    raw.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" });
    raw.write(": switchboard notification stream\n\n");
    this.keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
    raw.once("close", () => {
      clearInterval(this.keepAlive);
      onClose();
    });
  }

  end(): void {
    this.reply.raw.end();
  }

  send(message: unknown): void {
    if (!this.reply.raw.destroyed) this.reply.raw.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }
}
