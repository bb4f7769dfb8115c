import type { FastifyReply } from "fastify";

const KEEP_ALIVE_MS = 15_000;
/** How long a client should wait before reconnecting a dropped stream. */
const RECONNECT_AFTER_MS = 2_000;

/**
 * The standalone event stream a client opens with GET: messages not tied to one of its requests.
 * It opens with a priming event (an id and `retry`, so the client can resume) and comments keep
 * idle proxies from closing it.
 */
export class NotificationStream {
  private readonly keepAlive: NodeJS.Timeout;

  constructor(
    private readonly reply: FastifyReply,
    primingEventId: string,
    onClose: () => void,
  ) {
    reply.hijack();
    const raw = reply.raw;
    raw.on("error", () => {
      // The client went away; `close` cleans up.
    });
    // The connection closes with the stream: a client resuming after a shutdown must reach
    // another pod, not a keep-alive socket of this one (which would also hold the shutdown open).
    raw.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      connection: "close",
    });
    raw.write(`id: ${primingEventId}\nretry: ${RECONNECT_AFTER_MS}\ndata: \n\n`);
    this.keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
    raw.once("close", () => {
      clearInterval(this.keepAlive);
      onClose();
    });
  }

  end(): void {
    this.reply.raw.end();
  }

  send(message: unknown, eventId: string): void {
    if (!this.reply.raw.destroyed) {
      this.reply.raw.write(`id: ${eventId}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
    }
  }
}
