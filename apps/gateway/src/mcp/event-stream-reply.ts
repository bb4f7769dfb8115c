import type { FastifyReply } from "fastify";

/**
 * An answer that starts as plain JSON and turns into an SSE stream only when the upstream sends
 * something before its response (progress, log messages), so the common case stays one JSON body.
 */
export class EventStreamReply {
  private streaming = false;

  constructor(private readonly reply: FastifyReply) {}

  get isStreaming(): boolean {
    return this.streaming;
  }

  send(message: unknown): void {
    if (!this.streaming) {
      this.streaming = true;
      this.reply.hijack();
      this.reply.raw.on("error", () => {
        // The caller went away; the upstream call finishes and its answer is dropped.
      });
      const alreadySet = Object.entries(this.reply.getHeaders()).filter(
        (entry): entry is [string, string | number | string[]] => entry[1] !== undefined,
      );
      this.reply.raw.writeHead(200, {
        ...Object.fromEntries(alreadySet),
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
      });
    }
    if (!this.reply.raw.destroyed) this.reply.raw.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  /** Sends the response as the last event and closes the stream. */
  finish(answer: unknown): void {
    this.send(answer);
    this.reply.raw.end();
  }
}
