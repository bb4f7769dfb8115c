/** What a gateway reports after each attempt to apply a snapshot, and as a periodic heartbeat. */
export type GatewayStatusReport = {
  gatewayId: string;
  /** Version of the snapshot the gateway is serving (0 when it holds none). */
  version: number;
  /** sha256 of the snapshot it is serving ("" when none). */
  hash: string;
  status: "applied" | "rejected" | "stale" | "heartbeat" | "empty";
  /** Why the last offered snapshot was refused, when status is "rejected". */
  error?: string;
  reportedAt: string;
};

/** Which tokens a gateway saw in use since its last report, and when last (best effort). */
export type TokenUsageReport = {
  gatewayId: string;
  tokens: { tokenId: string; lastUsedAt: string }[];
};

export type Unsubscribe = () => Promise<void>;

/**
 * The bus between the planes. The NATS implementation keeps the latest snapshot in JetStream so a
 * gateway that was away, or starts while the control plane is down, still receives it; the
 * in-process one serves the embedded single-process mode with the same contract.
 */
export type PolicyBus = {
  /** Stores the envelope as the fleet's latest snapshot and notifies watchers. */
  publishSnapshot(envelope: Uint8Array): Promise<void>;
  /** The latest stored envelope, or null when none was ever published. */
  latestSnapshot(): Promise<Uint8Array | null>;
  /** Delivers the latest stored envelope (if any) and then every newly published one. */
  watchSnapshots(onEnvelope: (envelope: Uint8Array) => void): Promise<Unsubscribe>;
  publishStatus(report: GatewayStatusReport): Promise<void>;
  watchStatus(onReport: (report: GatewayStatusReport) => void): Promise<Unsubscribe>;
  publishTokenUsage(report: TokenUsageReport): Promise<void>;
  watchTokenUsage(onReport: (report: TokenUsageReport) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
};
