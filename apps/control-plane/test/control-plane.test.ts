import { randomUUID } from "node:crypto";
import { InProcessBus } from "@switchboard/bus";
import { createPrismaClient } from "@switchboard/database";
import {
  DataPlaneUnsealer,
  type DeploymentKeys,
  generateDeploymentKeys,
  mintAccessToken,
  parseTrustedSnapshotKeys,
  SnapshotVerifier,
} from "@switchboard/snapshot";
import { createTestDatabase } from "@switchboard/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadControlPlaneConfig } from "../src/config/control-plane-config.js";
import { type RunningControlPlane, startControlPlane } from "../src/start-control-plane.js";

const cleanups: Array<() => Promise<unknown>> = [];
let keys: DeploymentKeys;
let bus: InProcessBus;
let controlPlane: RunningControlPlane;
let databaseUrl: string;
const adminToken = mintAccessToken();
const published: Uint8Array[] = [];

async function api(method: string, path: string, body?: unknown, token: string | null = adminToken) {
  const response = await fetch(`${controlPlane.url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

async function latestSnapshot() {
  const verifier = new SnapshotVerifier(parseTrustedSnapshotKeys(keys.SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS));
  const envelope = (await bus.latestSnapshot()) as Uint8Array;
  return (await verifier.verify(envelope, 0)).snapshot;
}

/** Waits until the newest published snapshot satisfies the check (changes are compiled asynchronously). */
async function snapshotWhere(check: (snapshot: Awaited<ReturnType<typeof latestSnapshot>>) => boolean) {
  await expect.poll(async () => check(await latestSnapshot()), { timeout: 10_000 }).toBe(true);
  return latestSnapshot();
}

beforeAll(async () => {
  keys = await generateDeploymentKeys();
  const database = await createTestDatabase();
  databaseUrl = database.url;
  cleanups.push(database.drop);
  bus = new InProcessBus();
  await bus.watchSnapshots((envelope) => published.push(envelope));
  controlPlane = await startControlPlane(
    loadControlPlaneConfig({
      ...keys,
      DATABASE_URL: database.url,
      CONTROL_PLANE_PORT: "0",
      SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: adminToken,
    }),
    { bus, logger: false },
  );
  cleanups.push(controlPlane.close);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe("admin API", () => {
  it("creates users, shows a token's secret once and never again", async () => {
    const user = await api("POST", "/users", { email: "Ada@Example.com", name: "Ada" });
    expect(user.status).toBe(201);
    expect(user.body).toMatchObject({ email: "ada@example.com", name: "Ada", role: "member", status: "active" });
    const created = await api("POST", `/users/${user.body.id}/tokens`, { name: "laptop" });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^sbp_/);
    expect(created.body.displayPrefix).toBe(created.body.token.slice(0, 10));
    const listed = await api("GET", `/users/${user.body.id}/tokens`);
    const fetched = await api("GET", `/tokens/${created.body.id}`);
    for (const text of [JSON.stringify(listed.body), JSON.stringify(fetched.body)]) {
      expect(text).not.toContain(created.body.token);
      expect(text).not.toContain("digest");
    }
  });

  it("never shows upstream header values, and stores them encrypted", async () => {
    const server = await api("POST", "/servers", {
      name: "Secret Server",
      url: "http://127.0.0.1:9/mcp",
      auth: { type: "headers", headers: { "X-Api-Key": "very-secret-value" } },
    });
    expect(server.status).toBe(201);
    expect(server.body).toMatchObject({ slug: "secret-server", auth: { type: "headers", headerNames: ["X-Api-Key"] } });
    const all = [server, await api("GET", `/servers/${server.body.id}`), await api("GET", "/servers")];
    for (const response of all) expect(JSON.stringify(response.body)).not.toContain("very-secret-value");
    const prisma = createPrismaClient(databaseUrl);
    const row = await prisma.mcpServer.findUniqueOrThrow({ where: { id: server.body.id } });
    await prisma.$disconnect();
    expect(JSON.stringify(row.authSecret)).not.toContain("very-secret-value");
    const snapshot = await snapshotWhere((candidate) => candidate.servers.some((entry) => entry.id === server.body.id));
    const sealed = snapshot.servers.find((candidate) => candidate.id === server.body.id)?.auth;
    expect(JSON.stringify(sealed)).not.toContain("very-secret-value");
    const unsealer = await DataPlaneUnsealer.fromPrivateJwk(JSON.parse(keys.SWITCHBOARD_DATA_PLANE_PRIVATE_KEY));
    const opened = await unsealer.unseal((sealed as { sealedHeaders: string }).sealedHeaders);
    expect(JSON.parse(Buffer.from(opened).toString())).toEqual({ "X-Api-Key": "very-secret-value" });
  });

  it("answers bad input with problem+json and field errors", async () => {
    const invalid = await api("POST", "/users", { email: "nope", name: "", extra: 1 });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("content-type")).toContain("application/problem+json");
    expect(invalid.body.code).toBe("VALIDATION_FAILED");
    expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "email",
      "extra",
      "name",
    ]);
    const malformed = await api("POST", "/users", "{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("MALFORMED_REQUEST");
    const badUrl = await api("POST", "/servers", { name: "x", url: "file:///etc/passwd" });
    expect(badUrl.body.errors[0].field).toBe("url");
  });

  it("distinguishes 401, 403, 404 and 409", async () => {
    expect((await api("GET", "/users", undefined, null)).status).toBe(401);
    const wrong = await api("GET", "/users", undefined, mintAccessToken());
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const member = await api("POST", "/users", { email: "member@example.com", name: "M" });
    const memberToken = (await api("POST", `/users/${member.body.id}/tokens`, { name: "t" })).body.token;
    expect((await api("GET", "/users", undefined, memberToken)).status).toBe(403);
    expect((await api("GET", `/users/${randomUUID()}`)).status).toBe(404);
    expect((await api("GET", "/users/not-a-uuid")).status).toBe(404);
    expect((await api("GET", "/nothing-here")).status).toBe(404);
    expect((await api("POST", "/users", { email: "member@example.com", name: "Again" })).status).toBe(409);
    const grant = await api("POST", "/grants", {
      subject: { type: "user", id: member.body.id },
      target: { type: "server", id: randomUUID() },
    });
    expect(grant.status).toBe(404);
  });

  it("pages lists with an opaque cursor", async () => {
    for (let index = 0; index < 3; index++)
      await api("POST", "/users", { email: `page${index}@example.com`, name: "P" });
    const first = await api("GET", "/users?limit=2");
    expect(first.body.items).toHaveLength(2);
    const second = await api("GET", `/users?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id > first.body.items[1].id).toBe(true);
    expect((await api("GET", "/users?cursor=bogus")).status).toBe(400);
  });

  it("publishes the OpenAPI document with every route", async () => {
    const response = await fetch(`${controlPlane.url}/api/openapi.json`);
    const document = (await response.json()) as { paths: Record<string, object> };
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        "/api/v1/fleet",
        "/api/v1/grants",
        "/api/v1/grants/{id}",
        "/api/v1/servers",
        "/api/v1/servers/{id}",
        "/api/v1/snapshots/latest",
        "/api/v1/tokens/{id}",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/users/{id}/tokens",
      ].sort(),
    );
    expect((await fetch(`${controlPlane.url}/api/docs`)).status).toBe(200);
  });
});

describe("snapshots", () => {
  it("coalesces a burst of changes into few snapshots that end up containing all of them", async () => {
    const before = published.length;
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        api("POST", "/users", { email: `burst${index}@example.com`, name: "B" }),
      ),
    );
    const ids = created.map((user) => user.body.id as string);
    await snapshotWhere((snapshot) => ids.every((id) => snapshot.users.some((user) => user.id === id)));
    expect(published.length - before).toBeGreaterThan(0);
    expect(published.length - before).toBeLessThan(10);
  });

  it("drops a revoked token's digest from the next snapshot", async () => {
    const user = await api("POST", "/users", { email: "revoke@example.com", name: "R" });
    const token = await api("POST", `/users/${user.body.id}/tokens`, { name: "t" });
    await snapshotWhere((snapshot) => snapshot.tokens.some((entry) => entry.id === token.body.id));
    expect((await api("DELETE", `/tokens/${token.body.id}`)).status).toBe(204);
    await snapshotWhere((snapshot) => !snapshot.tokens.some((entry) => entry.id === token.body.id));
    expect((await api("GET", `/tokens/${token.body.id}`)).body.revokedAt).not.toBeNull();
  });

  it("records gateway status reports in the fleet table", async () => {
    await bus.publishStatus({
      gatewayId: "gw-test",
      version: 3,
      hash: "a".repeat(64),
      status: "rejected",
      error: "BAD_SIGNATURE: x",
      reportedAt: new Date().toISOString(),
    });
    await expect
      .poll(async () => (await api("GET", "/fleet")).body.items)
      .toEqual([
        expect.objectContaining({ gatewayId: "gw-test", version: 3, status: "rejected", error: "BAD_SIGNATURE: x" }),
      ]);
  });
});
