import { EventEmitter } from "node:events";
import type { GatewayStatusReport, PolicyBus, TokenUsageReport, Unsubscribe } from "./policy-bus.js";

/** The bus for the embedded mode, where the control plane and one gateway share a process. */
export class InProcessBus implements PolicyBus {
  private readonly events = new EventEmitter();
  private latest: Uint8Array | null = null;

  async publishSnapshot(envelope: Uint8Array): Promise<void> {
    this.latest = envelope;
    this.events.emit("snapshot", envelope);
  }

  async latestSnapshot(): Promise<Uint8Array | null> {
    return this.latest;
  }

  async watchSnapshots(onEnvelope: (envelope: Uint8Array) => void): Promise<Unsubscribe> {
    if (this.latest) queueMicrotask(() => this.latest && onEnvelope(this.latest));
    return this.listen("snapshot", onEnvelope);
  }

  async publishStatus(report: GatewayStatusReport): Promise<void> {
    this.events.emit("status", report);
  }

  async watchStatus(onReport: (report: GatewayStatusReport) => void): Promise<Unsubscribe> {
    return this.listen("status", onReport);
  }

  async publishTokenUsage(report: TokenUsageReport): Promise<void> {
    this.events.emit("usage", report);
  }

  async watchTokenUsage(onReport: (report: TokenUsageReport) => void): Promise<Unsubscribe> {
    return this.listen("usage", onReport);
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
  }

  private listen<T>(event: string, listener: (value: T) => void): Unsubscribe {
    this.events.on(event, listener);
    return async () => {
      this.events.off(event, listener);
    };
  }
}
