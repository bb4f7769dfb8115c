import { gunzipSync } from "node:zlib";
import { DataPlaneUnsealer, digestAccessToken } from "@switchboard/snapshot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneHarness } from "../../test/control-plane-harness.js";

const SECRET = "sealed-upstream-secret";
let harness: ControlPlaneHarness;
const delivered: Uint8Array[] = [];

/** The decompressed document inside a compact JWS envelope, as raw text. */
function documentText(envelope: Uint8Array): string {
  const payload = Buffer.from(envelope).toString("ascii").split(".")[1] as string;
  return gunzipSync(Buffer.from(payload, "base64url")).toString("utf8");
}

beforeAll(async () => {
  // A window wider than the default keeps the burst below within a few windows even on a loaded machine.
  harness = await ControlPlaneHarness.start({ nats: true, env: { SWITCHBOARD_SNAPSHOT_COALESCE_MS: "250" } });
  await harness.bus.watchSnapshots((envelope) => delivered.push(envelope));
});

afterAll(async () => {
  await harness?.close();
});

describe("snapshots over NATS", () => {
  it("gives gateways a first signed snapshot as soon as the control plane starts", async () => {
    const { snapshot, version } = await harness.publishedSnapshot();
    expect(version).toBeGreaterThanOrEqual(1);
    expect(snapshot.schemaVersion).toBe(2);
    expect(snapshot.users).toEqual([expect.objectContaining({ email: "admin@switchboard.local", active: true })]);
    const latest = await harness.api("GET", "/snapshots/latest");
    expect(latest.body).toEqual({
      version,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      sizeBytes: expect.any(Number),
      createdAt: expect.any(String),
      publishedAt: expect.any(String),
    });
  });

  it("coalesces a burst of 20 changes into a few snapshots, the last of which holds them all", async () => {
    const before = await harness.prisma.policySnapshot.count();
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        harness.api("POST", "/users", { email: `burst${index}@example.com`, name: `Burst ${index}` }),
      ),
    );
    expect(created.map((response) => response.status)).toEqual(Array(20).fill(201));
    const { snapshot, version } = await harness.publishedSnapshot();
    const compiled = (await harness.prisma.policySnapshot.count()) - before;
    expect(compiled).toBeGreaterThanOrEqual(1);
    expect(compiled).toBeLessThanOrEqual(5);
    const revisions = await harness.prisma.policyRevision.aggregate({ _max: { version: true } });
    expect(version).toBe(Number(revisions._max.version));
    const ids = created.map((response) => response.body.id as string);
    expect(snapshot.users.map((user) => user.id)).toEqual(expect.arrayContaining(ids));
    expect(snapshot.users.map((user) => user.id)).toEqual(snapshot.users.map((user) => user.id).sort());
  });

  it("drops a revoked token's digest from the next snapshot", async () => {
    const user = await harness.api("POST", "/users", { email: "revoked@example.com", name: "R" });
    const token = await harness.api("POST", `/users/${user.body.id}/tokens`, { name: "t" });
    const digest = digestAccessToken(
      token.body.token,
      Buffer.from(harness.keys.SWITCHBOARD_TOKEN_DIGEST_KEY, "base64"),
    );
    expect((await harness.publishedSnapshot()).snapshot.tokens).toContainEqual({
      id: token.body.id,
      owner: { type: "user", id: user.body.id },
      digest,
      expiresAt: null,
      scope: null,
    });
    expect((await harness.api("DELETE", `/tokens/${token.body.id}`)).status).toBe(204);
    const { snapshot, envelope } = await harness.publishedSnapshot();
    expect(snapshot.tokens.map((entry) => entry.id)).not.toContain(token.body.id);
    expect(documentText(envelope)).not.toContain(digest);
    expect(documentText(envelope)).not.toContain(token.body.token);
  });

  it("carries upstream header values only sealed to the data plane", async () => {
    const server = await harness.api("POST", "/servers", {
      name: "Sealed",
      url: "https://sealed.example.com/mcp",
      auth: { type: "headers", headers: { "X-Api-Key": SECRET } },
    });
    const user = await harness.api("POST", "/users", { email: "sealed@example.com", name: "S" });
    const grant = await harness.api("POST", "/grants", {
      subject: { type: "user", id: user.body.id },
      target: { type: "server", id: server.body.id },
    });
    const { snapshot, envelope } = await harness.publishedSnapshot();
    expect(documentText(envelope)).not.toContain(SECRET);
    const entry = snapshot.servers.find((candidate) => candidate.id === server.body.id);
    expect(entry).toMatchObject({ slug: "sealed", url: "https://sealed.example.com/mcp", auth: { type: "headers" } });
    if (entry?.auth.type !== "headers") throw new Error("the server has no sealed headers");
    const sealed = entry.auth.sealedHeaders;
    const unsealer = await DataPlaneUnsealer.fromPrivateJwk(
      JSON.parse(harness.keys.SWITCHBOARD_DATA_PLANE_PRIVATE_KEY),
    );
    expect(JSON.parse(Buffer.from(await unsealer.unseal(sealed)).toString("utf8"))).toEqual({ "X-Api-Key": SECRET });
    expect(snapshot.grants).toContainEqual({
      id: grant.body.id,
      subject: { type: "user", id: user.body.id },
      target: { type: "server", id: server.body.id },
      tools: { mode: "all" },
    });
  });

  it("leaves out every token of a deactivated user", async () => {
    const user = await harness.api("POST", "/users", { email: "leaving@example.com", name: "L" });
    const token = await harness.api("POST", `/users/${user.body.id}/tokens`, { name: "t" });
    expect((await harness.publishedSnapshot()).snapshot.tokens.map((entry) => entry.id)).toContain(token.body.id);
    // No route deactivates yet; the compiler must still honour the status column.
    await harness.prisma.$transaction([
      harness.prisma.user.update({ where: { id: user.body.id }, data: { status: "deactivated" } }),
      harness.prisma.policyRevision.create({ data: { reason: "test.user-deactivated" } }),
    ]);
    const { snapshot } = await harness.publishedSnapshot();
    expect(snapshot.users).toContainEqual(expect.objectContaining({ id: user.body.id, active: false }));
    expect(snapshot.tokens.map((entry) => entry.id)).not.toContain(token.body.id);
  });

  it("delivers every published snapshot to watching gateways, newest last", async () => {
    const { version } = await harness.publishedSnapshot();
    await expect.poll(() => delivered.length).toBeGreaterThan(1);
    const versions = delivered.map((envelope) => JSON.parse(documentText(envelope)).version as number);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    await expect.poll(() => JSON.parse(documentText(delivered.at(-1) as Uint8Array)).version).toBe(version);
  });

  it("records what gateways report in the fleet table", async () => {
    // The observer connection publishes as a gateway would; polling covers the subscription's setup.
    const report = {
      gatewayId: "gateway-1",
      version: 3,
      hash: "a".repeat(64),
      status: "rejected" as const,
      error: "BAD_SIGNATURE: no trusted key",
      reportedAt: new Date().toISOString(),
    };
    await expect
      .poll(async () => {
        await harness.bus.publishStatus(report);
        return (await harness.api("GET", "/fleet")).body.items;
      })
      .toEqual([
        {
          gatewayId: "gateway-1",
          version: 3,
          sha256: "a".repeat(64),
          status: "rejected",
          error: "BAD_SIGNATURE: no trusted key",
          reportedAt: report.reportedAt,
        },
      ]);
    await harness.bus.publishStatus({ ...report, gatewayId: "bad/id" });
    await harness.bus.publishStatus({ ...report, gatewayId: "gateway-2", status: "bogus" as "applied" });
    await harness.bus.publishStatus({ ...report, status: "applied", error: undefined, version: 4 });
    await expect
      .poll(async () => (await harness.api("GET", "/fleet")).body.items)
      .toEqual([expect.objectContaining({ gatewayId: "gateway-1", version: 4, status: "applied", error: null })]);
  });
});

describe("replicas", () => {
  it("share the database: every change is published once, and the bus never goes back a version", async () => {
    const replica = await harness.startReplica();
    try {
      const deliveredBefore = delivered.length;
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          harness.api(
            "POST",
            "/users",
            { email: `replica${index}@example.com`, name: "R" },
            harness.adminToken,
            index % 2 ? replica.url : harness.url,
          ),
        ),
      );
      expect(created.map((response) => response.status)).toEqual(Array(10).fill(201));
      const [version] = await Promise.all([replica.whenPolicyPublished(), harness.controlPlane.whenPolicyPublished()]);
      const { snapshot } = await harness.publishedSnapshot();
      expect(snapshot.version).toBeGreaterThanOrEqual(version);
      expect(snapshot.users.map((user) => user.id)).toEqual(
        expect.arrayContaining(created.map((response) => response.body.id)),
      );
      await expect.poll(() => delivered.length).toBeGreaterThan(deliveredBefore);
      const versions = delivered.slice(deliveredBefore).map((envelope) => JSON.parse(documentText(envelope)).version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    } finally {
      await replica.close();
    }
  });
});

describe("the outbox across restarts", () => {
  it("publishes on start a stored snapshot the last process did not get out", async () => {
    const { version } = await harness.publishedSnapshot();
    await harness.controlPlane.close();
    await harness.prisma.policySnapshot.update({ where: { version: BigInt(version) }, data: { publishedAt: null } });
    const deliveredBefore = delivered.length;
    await harness.startControlPlane();
    const row = await harness.prisma.policySnapshot.findUniqueOrThrow({ where: { version: BigInt(version) } });
    expect(row.publishedAt).not.toBeNull();
    await expect.poll(() => delivered.length).toBeGreaterThan(deliveredBefore);
  });

  it("compiles on start the changes committed after the last snapshot", async () => {
    await harness.controlPlane.close();
    const revision = await harness.prisma.policyRevision.create({ data: { reason: "test.offline-change" } });
    await harness.startControlPlane();
    expect((await harness.api("GET", "/snapshots/latest")).body.version).toBe(Number(revision.version));
    expect((await harness.publishedSnapshot()).version).toBe(Number(revision.version));
  });
});
