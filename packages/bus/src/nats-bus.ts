import { type ObjectStore, Objm } from "@nats-io/obj";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { GatewayStatusReport, PolicyBus, TokenUsageReport, Unsubscribe } from "./policy-bus.js";

export type NatsBusOptions = {
  /** nats:// URL(s), comma-separated. */
  servers: string;
  /** The gateway fleet this bus serves; one snapshot stream per fleet. */
  fleet: string;
  /** Client name shown by the NATS server, e.g. the gateway id. */
  name: string;
};

const LATEST_OBJECT = "latest";
/** How often a watcher re-checks the latest snapshot, in case an update went unannounced. */
const RESYNC_MS = 2_000;

type Connected = { connection: NatsConnection; store: ObjectStore };

/**
 * The policy bus over NATS. The latest snapshot lives in a JetStream object store (so it survives
 * the control plane and is not limited by the 1 MiB message cap); watchers get it on subscribe and
 * then each new one. Status reports are plain core-NATS messages.
 *
 * Opening never blocks on NATS: a gateway must start and serve its last-known-good snapshot while
 * NATS is away, so the connection is retried in the background and operations wait for it.
 */
export class NatsBus implements PolicyBus {
  private readonly statusSubject: string;
  private readonly usageSubject: string;
  private readonly connected: Promise<Connected>;
  private closed = false;

  private constructor(options: NatsBusOptions) {
    if (!/^[A-Za-z0-9_-]+$/.test(options.fleet)) throw new Error(`invalid fleet name: ${options.fleet}`);
    this.statusSubject = `switchboard.${options.fleet}.status`;
    this.usageSubject = `switchboard.${options.fleet}.usage`;
    this.connected = this.open(options);
    this.connected.catch(() => {});
  }

  /** Starts connecting and returns at once. */
  static open(options: NatsBusOptions): NatsBus {
    return new NatsBus(options);
  }

  /** Connects and waits for the first connection (for processes that need NATS to do anything). */
  static async connect(options: NatsBusOptions): Promise<NatsBus> {
    const bus = new NatsBus(options);
    await bus.connected;
    return bus;
  }

  private async open(options: NatsBusOptions): Promise<Connected> {
    const connection = await connect({
      servers: options.servers.split(","),
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1_000,
      reconnectJitter: 500,
      waitOnFirstConnect: true,
    });
    if (this.closed) {
      await connection.close();
      throw new Error("the bus was closed while connecting");
    }
    const store = await new Objm(connection).create(`switchboard-snapshots-${options.fleet}`, {
      description: "Latest signed policy snapshot of a Switchboard gateway fleet",
    });
    return { connection, store };
  }

  async publishSnapshot(envelope: Uint8Array): Promise<void> {
    const { store } = await this.connected;
    await store.putBlob({ name: LATEST_OBJECT }, envelope);
  }

  async latestSnapshot(): Promise<Uint8Array | null> {
    const { store } = await this.connected;
    return store.getBlob(LATEST_OBJECT);
  }

  async watchSnapshots(onEnvelope: (envelope: Uint8Array) => void): Promise<Unsubscribe> {
    let stopped = false;
    let stopWatch: (() => void) | undefined;
    let resync: NodeJS.Timeout | undefined;
    void this.connected
      .then(async ({ store }) => {
        if (stopped) return;
        let deliveredPut: string | undefined;
        // Fetches the object only when it was put again since the last delivery (each put has its
        // own nuid, so a re-publish of the same bytes is delivered too). A read that
        // overlaps a publish can fail (its chunks are being replaced); the next update or resync
        // picks the new one up.
        const deliverLatest = async () => {
          const info = await store.info(LATEST_OBJECT).catch(() => null);
          if (!info || info.deleted || info.nuid === deliveredPut) return;
          const envelope = await store.getBlob(LATEST_OBJECT).catch(() => null);
          if (!envelope || stopped) return;
          deliveredPut = info.nuid;
          onEnvelope(envelope);
        };
        // Updates announced by the watch arrive at once; a re-check every few seconds (one small
        // metadata read) catches any the watch missed: setting up its consumer can race a publish,
        // and has been seen to stall when one lands at that moment.
        resync = setInterval(() => void deliverLatest(), RESYNC_MS);
        resync.unref();
        const updates = await store.watch({ includeHistory: false, ignoreDeletes: true });
        stopWatch = () => updates.stop();
        if (stopped) updates.stop();
        await deliverLatest();
        for await (const info of updates) {
          if (info?.name === LATEST_OBJECT && !info.deleted) await deliverLatest();
        }
      })
      .catch(() => {
        // Closing the bus ends the watch; nothing to report.
      });
    return async () => {
      stopped = true;
      clearInterval(resync);
      stopWatch?.();
    };
  }

  async publishStatus(report: GatewayStatusReport): Promise<void> {
    const { connection } = await this.connected;
    connection.publish(`${this.statusSubject}.${report.gatewayId}`, JSON.stringify(report));
  }

  /** Core NATS, not JetStream: last-used times are eventually consistent and a lost report costs little. */
  async publishTokenUsage(report: TokenUsageReport): Promise<void> {
    const { connection } = await this.connected;
    connection.publish(`${this.usageSubject}.${report.gatewayId}`, JSON.stringify(report));
  }

  async watchTokenUsage(onReport: (report: TokenUsageReport) => void): Promise<Unsubscribe> {
    const { connection } = await this.connected;
    const subscription = connection.subscribe(`${this.usageSubject}.*`, {
      callback: (error, message) => {
        if (error) return;
        try {
          onReport(message.json<TokenUsageReport>());
        } catch {
          // A malformed report is dropped.
        }
      },
    });
    return async () => subscription.unsubscribe();
  }

  async watchStatus(onReport: (report: GatewayStatusReport) => void): Promise<Unsubscribe> {
    const { connection } = await this.connected;
    const subscription = connection.subscribe(`${this.statusSubject}.*`, {
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
    this.closed = true;
    const connected = await Promise.race([this.connected, Promise.resolve(undefined)]).catch(() => undefined);
    if (connected) await connected.connection.drain().catch(() => connected.connection.close());
  }
}
