import { type ObjectStore, Objm } from "@nats-io/obj";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { GatewayStatusReport, PolicyBus, Unsubscribe } from "./policy-bus.js";

export type NatsBusOptions = {
  /** nats:// URL(s), comma-separated. */
  servers: string;
  /** The gateway fleet this bus serves; one snapshot stream per fleet. */
  fleet: string;
  /** Client name shown by the NATS server, e.g. the gateway id. */
  name: string;
};

const LATEST_OBJECT = "latest";

/**
 * The policy bus over NATS. The latest snapshot lives in a JetStream object store (so it survives
 * the control plane and is not limited by the 1 MiB message cap); watchers get it on subscribe and
 * then each new one. Status reports are plain core-NATS messages.
 */
export class NatsBus implements PolicyBus {
  private constructor(
    private readonly connection: NatsConnection,
    private readonly store: ObjectStore,
    private readonly statusSubject: string,
  ) {}

  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    if (!/^[A-Za-z0-9_-]+$/.test(options.fleet)) throw new Error(`invalid fleet name: ${options.fleet}`);
    const connection = await connect({
      servers: options.servers.split(","),
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
      reconnectJitter: 500,
      waitOnFirstConnect: false,
    });
    const store = await new Objm(connection).create(`switchboard-snapshots-${options.fleet}`, {
      description: "Latest signed policy snapshot of a Switchboard gateway fleet",
    });
    return new NatsBus(connection, store, `switchboard.${options.fleet}.status`);
  }

  async publishSnapshot(envelope: Uint8Array): Promise<void> {
    await this.store.putBlob({ name: LATEST_OBJECT }, envelope);
  }

  async latestSnapshot(): Promise<Uint8Array | null> {
    return this.store.getBlob(LATEST_OBJECT);
  }

  async watchSnapshots(onEnvelope: (envelope: Uint8Array) => void): Promise<Unsubscribe> {
    const updates = await this.store.watch({ includeHistory: true, ignoreDeletes: true });
    void (async () => {
      for await (const info of updates) {
        if (info?.name !== LATEST_OBJECT || info.deleted) continue;
        const envelope = await this.store.getBlob(LATEST_OBJECT).catch(() => null);
        if (envelope) onEnvelope(envelope);
      }
    })();
    return async () => updates.stop();
  }

  async publishStatus(report: GatewayStatusReport): Promise<void> {
    this.connection.publish(`${this.statusSubject}.${report.gatewayId}`, JSON.stringify(report));
  }

  async watchStatus(onReport: (report: GatewayStatusReport) => void): Promise<Unsubscribe> {
    const subscription = this.connection.subscribe(`${this.statusSubject}.*`, {
      callback: (error, message) => {
        if (error) return;
        try {
          onReport(message.json<GatewayStatusReport>());
        } catch {
          // A malformed report is dropped: status is advisory and must not break the control plane.
        }
      },
    });
    return async () => subscription.unsubscribe();
  }

  async close(): Promise<void> {
    await this.connection.drain().catch(() => this.connection.close());
  }
}
