import { cp, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type GatewayStatusReport, InProcessBus } from "@switchboard/bus";
import {
  generateDeploymentKeys,
  generateSnapshotSigningJwk,
  type PolicySnapshot,
  publicSnapshotJwk,
  SNAPSHOT_JWS_TYPE,
  sha256Hex,
} from "@switchboard/snapshot";
import { CompactSign, importJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningGateway } from "../src/start-gateway.js";
import {
  emptyPolicy,
  mcpPost,
  newTokens,
  SnapshotAuthor,
  startTestGateway,
  userToken,
  waitForVersion,
} from "./gateway-harness.js";

const cleanups: Array<() => Promise<unknown>> = [];
const tokens = newTokens();
let author: SnapshotAuthor;
let bus: InProcessBus;
let gateway: RunningGateway & { snapshotDir: string };
const reports: GatewayStatusReport[] = [];

function snapshotAt(version: number, users = 1): PolicySnapshot {
  return {
    ...emptyPolicy(version),
    // Fixed, so the same version signed twice is the same document.
    issuedAt: "2026-01-01T00:00:00.000Z",
    users: Array.from({ length: users }, (_, index) => ({
      id: index === 0 ? "alice" : `user-${index}`,
      email: `u${index}@example.com`,
      name: "U",
      active: true,
      teamIds: [],
    })),
    tokens: [userToken("alice", author.digest(tokens.alice))],
  };
}

async function rawEnvelope(header: Record<string, unknown>, payload: Uint8Array): Promise<Uint8Array> {
  const key = await importJWK(JSON.parse(author.keys.SWITCHBOARD_SNAPSHOT_SIGNING_KEY), "EdDSA");
  const kid = (JSON.parse(author.keys.SWITCHBOARD_SNAPSHOT_SIGNING_KEY) as { kid: string }).kid;
  const jws = await new CompactSign(payload)
    .setProtectedHeader({ alg: "EdDSA", kid, typ: SNAPSHOT_JWS_TYPE, schemaVersion: 2, ...header })
    .sign(key);
  return Buffer.from(jws);
}

async function offerAndExpectRejection(envelope: Uint8Array, code: string) {
  const before = reports.length;
  await bus.publishSnapshot(envelope);
  await expect
    .poll(() => reports.slice(before).find((report) => report.status === "rejected")?.error ?? "", { timeout: 5_000 })
    .toContain(code);
  expect(gateway.snapshotState().version).toBe(2);
  const ping = await mcpPost(
    `${gateway.url}/mcp`,
    { jsonrpc: "2.0", id: 1, method: "ping" },
    { authorization: `Bearer ${tokens.alice}` },
  );
  expect(ping.status).toBe(200);
}

beforeAll(async () => {
  author = await SnapshotAuthor.create();
  bus = new InProcessBus();
  await bus.watchStatus((report) => reports.push(report));
  gateway = await startTestGateway(author, bus);
  cleanups.push(gateway.close);
  await bus.publishSnapshot((await author.sign(snapshotAt(1))).envelope);
  await bus.publishSnapshot((await author.sign(snapshotAt(2))).envelope);
  await waitForVersion(gateway, 2);
});

/** A private copy of the main gateway's last-known-good directory, for restarts that change it. */
async function copyOfSnapshotDir(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "switchboard-gateway-test-"));
  await cp(gateway.snapshotDir, directory, { recursive: true });
  return directory;
}

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("snapshot security at the gateway", () => {
  it("reports every applied snapshot with its version and hash", async () => {
    const lastApplied = () => reports.filter((report) => report.status === "applied").at(-1);
    await expect.poll(lastApplied).toMatchObject({ gatewayId: gateway.gatewayId, version: 2 });
    expect(lastApplied()?.hash).toBe(gateway.snapshotState().sha256);
  });

  it("refuses tampered bytes and keeps serving the previous snapshot", async () => {
    const signed = await author.sign(snapshotAt(3));
    const [header, , signature] = Buffer.from(signed.envelope).toString().split(".");
    const forged = gzipSync(Buffer.from(JSON.stringify(snapshotAt(3, 5)))).toString("base64url");
    await offerAndExpectRejection(Buffer.from(`${header}.${forged}.${signature}`), "BAD_SIGNATURE");
  });

  it("refuses a snapshot signed by a key it does not trust", async () => {
    const stranger = await generateSnapshotSigningJwk("stranger");
    await offerAndExpectRejection(
      (await author.sign(snapshotAt(3), JSON.stringify(stranger))).envelope,
      "UNTRUSTED_KEY",
    );
    const sameKidOtherKey = (await generateDeploymentKeys()).SWITCHBOARD_SNAPSHOT_SIGNING_KEY;
    await offerAndExpectRejection((await author.sign(snapshotAt(3), sameKidOtherKey)).envelope, "BAD_SIGNATURE");
  });

  it("refuses an older version and a different snapshot with the same version", async () => {
    await offerAndExpectRejection((await author.sign(snapshotAt(1))).envelope, "NOT_NEWER");
    await offerAndExpectRejection((await author.sign(snapshotAt(2, 3))).envelope, "NOT_NEWER");
  });

  it("refuses an oversized document before decompressing it, and a payload that inflates past its size", async () => {
    const tiny = gzipSync(Buffer.from("{}"));
    await offerAndExpectRejection(
      await rawEnvelope({ version: 9, sha256: sha256Hex(Buffer.from("{}")), size: 2 ** 30 }, tiny),
      "SNAPSHOT_TOO_LARGE",
    );
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    await offerAndExpectRejection(
      await rawEnvelope({ version: 9, sha256: "0".repeat(64), size: 1024 }, bomb),
      "SNAPSHOT_TOO_LARGE",
    );
  });

  it("refuses a truncated envelope", async () => {
    const signed = await author.sign(snapshotAt(3));
    await offerAndExpectRejection(signed.envelope.subarray(0, signed.envelope.length - 30), "");
  });

  it("then accepts the next good snapshot", async () => {
    await bus.publishSnapshot((await author.sign(snapshotAt(3))).envelope);
    await waitForVersion(gateway, 3);
    // "applied" is reported once the snapshot is also on disk, which the next tests restart from.
    await expect.poll(() => reports.some((report) => report.status === "applied" && report.version === 3)).toBe(true);
  });
});

describe("key rotation", () => {
  it("takes the snapshot in force, re-signed under the next trusted key, as a confirmation", async () => {
    const next = await generateSnapshotSigningJwk("snapshot-next");
    const trustBoth = {
      SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS: JSON.stringify([
        ...JSON.parse(author.keys.SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS),
        publicSnapshotJwk(next),
      ]),
    };
    const resigned = await author.sign(snapshotAt(3), JSON.stringify(next));
    expect(resigned.sha256).toBe(gateway.snapshotState().sha256);
    const rotating = new InProcessBus();
    const seen: GatewayStatusReport[] = [];
    await rotating.watchStatus((report) => seen.push(report));
    await rotating.publishSnapshot(resigned.envelope);
    const restarted = await startTestGateway(author, rotating, {
      ...trustBoth,
      SWITCHBOARD_SNAPSHOT_DIR: await copyOfSnapshotDir(),
    });
    cleanups.push(restarted.close);
    await expect.poll(() => restarted.snapshotState().stale).toBe(false);
    await expect.poll(() => seen.map((report) => report.status)).toContain("applied");
    expect(seen.filter((report) => report.status === "rejected")).toEqual([]);
    expect(restarted.snapshotState().version).toBe(3);
  });
});

describe("last-known-good", () => {
  it("serves the snapshot from disk after a restart with no bus delivery, marked stale", async () => {
    const silent = new InProcessBus();
    const seen: GatewayStatusReport[] = [];
    await silent.watchStatus((report) => seen.push(report));
    const restarted = await startTestGateway(author, silent, { SWITCHBOARD_SNAPSHOT_DIR: gateway.snapshotDir });
    cleanups.push(restarted.close);
    const readiness = await fetch(`${restarted.url}/readyz`);
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toMatchObject({ status: "ready", version: 3, stale: true });
    await expect.poll(() => seen[0]).toMatchObject({ gatewayId: restarted.gatewayId, status: "stale", version: 3 });
    const ping = await mcpPost(
      `${restarted.url}/mcp`,
      { jsonrpc: "2.0", id: 1, method: "ping" },
      { authorization: `Bearer ${tokens.alice}` },
    );
    expect(ping.status).toBe(200);
  });

  it("becomes fresh when the bus confirms the snapshot it loaded from disk", async () => {
    const confirming = new InProcessBus();
    await confirming.publishSnapshot((await bus.latestSnapshot()) as Uint8Array);
    const seen: GatewayStatusReport[] = [];
    await confirming.watchStatus((report) => seen.push(report));
    const restarted = await startTestGateway(author, confirming, { SWITCHBOARD_SNAPSHOT_DIR: gateway.snapshotDir });
    cleanups.push(restarted.close);
    await expect.poll(() => restarted.snapshotState().stale).toBe(false);
    await expect.poll(() => seen.at(-1)).toMatchObject({ status: "applied", version: 3 });
  });

  it("remembers the highest version seen: a rolled-back file and an older replay are refused", async () => {
    const directory = await copyOfSnapshotDir();
    const current = (await bus.latestSnapshot()) as Uint8Array;
    const older = (await author.sign(snapshotAt(2))).envelope;
    await writeFile(join(directory, "snapshot.jws"), older);
    const replaying = new InProcessBus();
    const seen: GatewayStatusReport[] = [];
    await replaying.watchStatus((report) => seen.push(report));
    const restarted = await startTestGateway(author, replaying, { SWITCHBOARD_SNAPSHOT_DIR: directory });
    cleanups.push(restarted.close);
    expect((await fetch(`${restarted.url}/readyz`)).status).toBe(503);

    await replaying.publishSnapshot(older);
    await expect.poll(() => seen.find((report) => report.status === "rejected")?.error).toContain("NOT_NEWER");
    expect(restarted.snapshotState().ready).toBe(false);

    await replaying.publishSnapshot(current);
    await waitForVersion(restarted, 3);
    expect(await (await fetch(`${restarted.url}/readyz`)).json()).toMatchObject({ version: 3, stale: false });
  });

  it("ignores a damaged file rather than serving part of it", async () => {
    const directory = await copyOfSnapshotDir();
    const current = (await bus.latestSnapshot()) as Uint8Array;
    await writeFile(join(directory, "snapshot.jws"), current.subarray(0, 100));
    const afterDamage = await startTestGateway(author, new InProcessBus(), { SWITCHBOARD_SNAPSHOT_DIR: directory });
    cleanups.push(afterDamage.close);
    expect(afterDamage.snapshotState().ready).toBe(false);
  });

  it("is not ready and denies every call when it holds nothing", async () => {
    const empty = await startTestGateway(author, new InProcessBus());
    cleanups.push(empty.close);
    expect((await fetch(`${empty.url}/readyz`)).status).toBe(503);
    const call = await mcpPost(
      `${empty.url}/mcp`,
      { jsonrpc: "2.0", id: 1, method: "tools/list" },
      { authorization: `Bearer ${tokens.alice}` },
    );
    expect(call.status).toBe(503);
    expect(((await call.json()) as { error: unknown }).error).toBeDefined();
  });
});
