import { randomUUID } from "node:crypto";
import { testNatsUrl } from "@switchboard/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { InProcessBus } from "./in-process-bus.js";
import { NatsBus } from "./nats-bus.js";
import type { GatewayStatusReport, PolicyBus, TokenUsageReport } from "./policy-bus.js";

/** One contract, two implementations: the embedded mode must behave like NATS. */
const implementations: Array<[string, () => Promise<{ publisher: PolicyBus; late: () => Promise<PolicyBus> }>]> = [
  [
    "InProcessBus",
    async () => {
      const bus = new InProcessBus();
      return { publisher: bus, late: async () => bus };
    },
  ],
  [
    "NatsBus",
    async () => {
      const fleet = `bus-test-${randomUUID().slice(0, 8)}`;
      const connectBus = () => NatsBus.connect({ servers: testNatsUrl(), fleet, name: "bus-test" });
      return { publisher: await connectBus(), late: connectBus };
    },
  ],
];

function nextValue<T>(subscribe: (callback: (value: T) => void) => Promise<unknown>): Promise<T> {
  return new Promise((resolve) => void subscribe(resolve));
}

describe.each(implementations)("%s", (_name, create) => {
  const opened: PolicyBus[] = [];
  afterEach(async () => {
    for (const bus of opened.splice(0)) await bus.close();
  });

  it("keeps the latest snapshot for a watcher that arrives later", async () => {
    const { publisher, late } = await create();
    opened.push(publisher);
    expect(await publisher.latestSnapshot()).toBeNull();
    await publisher.publishSnapshot(Buffer.from("first"));
    await publisher.publishSnapshot(Buffer.from("second"));
    const watcher = await late();
    if (watcher !== publisher) opened.push(watcher);
    const delivered = await nextValue<Uint8Array>((callback) => watcher.watchSnapshots(callback));
    expect(Buffer.from(delivered).toString()).toBe("second");
    expect(Buffer.from((await watcher.latestSnapshot()) as Uint8Array).toString()).toBe("second");
  });

  it("delivers each newly published snapshot to watchers", async () => {
    const { publisher } = await create();
    opened.push(publisher);
    const received: string[] = [];
    const unsubscribe = await publisher.watchSnapshots((envelope) => received.push(Buffer.from(envelope).toString()));
    await publisher.publishSnapshot(Buffer.from("v1"));
    await publisher.publishSnapshot(Buffer.from("v2"));
    await expect.poll(() => received.at(-1), { timeout: 5_000 }).toBe("v2");
    await unsubscribe();
  });

  it("carries gateway status reports to the control plane", async () => {
    const { publisher } = await create();
    opened.push(publisher);
    const report: GatewayStatusReport = {
      gatewayId: "gw-1",
      version: 3,
      hash: "a".repeat(64),
      status: "applied",
      reportedAt: new Date().toISOString(),
    };
    const received = nextValue<GatewayStatusReport>((callback) => publisher.watchStatus(callback));
    await publisher.publishStatus(report);
    expect(await received).toEqual(report);
  });

  it("carries token usage reports to the control plane", async () => {
    const { publisher } = await create();
    opened.push(publisher);
    const report: TokenUsageReport = {
      gatewayId: "gw-1",
      tokens: [{ tokenId: randomUUID(), lastUsedAt: new Date().toISOString() }],
    };
    const received = nextValue<TokenUsageReport>((callback) => publisher.watchTokenUsage(callback));
    await publisher.publishTokenUsage(report);
    expect(await received).toEqual(report);
  });
});
