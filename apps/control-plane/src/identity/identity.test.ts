import { randomUUID } from "node:crypto";
import { digestAccessToken, mintAccessToken } from "@switchboard/snapshot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneHarness } from "../../test/control-plane-harness.js";

let harness: ControlPlaneHarness;

beforeAll(async () => {
  harness = await ControlPlaneHarness.start();
});

afterAll(async () => {
  await harness?.close();
});

async function createUser(email: string, role?: "org_admin" | "member") {
  const created = await harness.api("POST", "/users", { email, name: "Someone", ...(role ? { role } : {}) });
  expect(created.status).toBe(201);
  return created.body as { id: string };
}

async function createToken(userId: string, body: object = { name: "laptop" }) {
  return harness.api("POST", `/users/${userId}/tokens`, body);
}

describe("users", () => {
  it("creates, reads, lists and deletes users", async () => {
    const created = await harness.api("POST", "/users", { email: "Ada@Example.com", name: "Ada Lovelace" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: "ada@example.com",
      name: "Ada Lovelace",
      role: "member",
      status: "active",
      createdAt: expect.any(String),
    });
    expect((await harness.api("GET", `/users/${created.body.id}`)).body).toEqual(created.body);
    expect((await harness.api("DELETE", `/users/${created.body.id}`)).status).toBe(204);
    const gone = await harness.api("GET", `/users/${created.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ status: 404, code: "NOT_FOUND", detail: "User not found" });
    expect((await harness.api("DELETE", `/users/${created.body.id}`)).status).toBe(404);
  });

  it("refuses a second user with the same email, whatever its case", async () => {
    await createUser("grace@example.com");
    const clash = await harness.api("POST", "/users", { email: "GRACE@example.com", name: "Grace" });
    expect(clash.status).toBe(409);
    expect(clash.headers.get("content-type")).toContain("application/problem+json");
    expect(clash.body).toMatchObject({ code: "CONFLICT", title: "Conflict" });
  });

  it("pages with an opaque cursor until nextCursor is null", async () => {
    for (let index = 0; index < 3; index++) await createUser(`page${index}@example.com`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await harness.api("GET", `/users?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((user: { id: string }) => user.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe((await harness.prisma.user.count()) as number);
    const bad = await harness.api("GET", "/users?cursor=bogus&limit=500");
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(["limit"]);
    expect((await harness.api("GET", "/users?cursor=bogus")).body.errors).toEqual([
      { field: "cursor", message: expect.any(String) },
    ]);
  });

  it("answers invalid bodies with problem+json listing each field", async () => {
    const invalid = await harness.api("POST", "/users", { email: "nope", name: "", role: "root", extra: 1 });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("content-type")).toContain("application/problem+json");
    expect(invalid.body).toMatchObject({
      type: expect.stringContaining("validation-failed"),
      title: "Bad Request",
      status: 400,
      code: "VALIDATION_FAILED",
      detail: expect.any(String),
    });
    expect(invalid.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      "email",
      "extra",
      "name",
      "role",
    ]);
  });

  it("keeps the last active org admin", async () => {
    const bootstrapAdmin = await harness.prisma.user.findUniqueOrThrow({ where: { email: "admin@switchboard.local" } });
    const last = await harness.api("DELETE", `/users/${bootstrapAdmin.id}`);
    expect(last.status).toBe(409);
    expect(last.body.code).toBe("CONFLICT");
    const second = await createUser("second-admin@example.com", "org_admin");
    expect((await harness.api("DELETE", `/users/${second.id}`)).status).toBe(204);
  });
});

describe("personal access tokens", () => {
  it("shows the secret once, and stores only its digest", async () => {
    const user = await createUser("tokens@example.com");
    const created = await createToken(user.id, { name: "laptop", expiresAt: "2099-01-01T00:00:00Z" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      owner: { type: "user", id: user.id },
      name: "laptop",
      scope: null,
      displayPrefix: created.body.token.slice(0, 10),
      expiresAt: "2099-01-01T00:00:00.000Z",
      revokedAt: null,
      lastUsedAt: null,
      createdAt: expect.any(String),
      token: expect.stringMatching(/^sbp_[A-Za-z0-9_-]{43}_[0-9a-z]{6}$/),
    });
    const secret: string = created.body.token;
    const listed = await harness.api("GET", `/users/${user.id}/tokens`);
    const fetched = await harness.api("GET", `/tokens/${created.body.id}`);
    expect(listed.body.items).toEqual([fetched.body]);
    const { token: _secret, ...withoutSecret } = created.body;
    expect(fetched.body).toEqual(withoutSecret);
    const stored = await harness.prisma.accessToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(stored.digest).toBe(
      digestAccessToken(secret, Buffer.from(harness.keys.SWITCHBOARD_TOKEN_DIGEST_KEY, "base64")),
    );
    expect(JSON.stringify(stored)).not.toContain(secret);
    for (const text of [JSON.stringify(listed.body), JSON.stringify(fetched.body)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(stored.digest);
    }
  });

  it("revokes a token: it is flagged, and no longer opens the admin API", async () => {
    const admin = await createUser("revocable-admin@example.com", "org_admin");
    const created = await createToken(admin.id);
    expect((await harness.api("GET", "/users", undefined, created.body.token)).status).toBe(200);
    expect((await harness.api("DELETE", `/tokens/${created.body.id}`)).status).toBe(204);
    expect((await harness.api("GET", `/tokens/${created.body.id}`)).body.revokedAt).toEqual(expect.any(String));
    expect((await harness.api("GET", "/users", undefined, created.body.token)).status).toBe(401);
    expect((await harness.api("DELETE", `/tokens/${randomUUID()}`)).status).toBe(404);
  });

  it("refuses tokens for unknown users and expiry dates that are not in the future", async () => {
    expect((await createToken(randomUUID())).status).toBe(404);
    const user = await createUser("expiry@example.com");
    const past = await createToken(user.id, { name: "old", expiresAt: "2001-01-01T00:00:00Z" });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([{ field: "expiresAt", message: expect.any(String) }]);
    const garbage = await createToken(user.id, { name: "x", expiresAt: "tomorrow" });
    expect(garbage.body.errors.map((error: { field: string }) => error.field)).toEqual(["expiresAt"]);
  });
});

describe("admin authentication", () => {
  it("answers 401 with WWW-Authenticate without a token or with one that is not live", async () => {
    for (const token of [null, "not-a-token", mintAccessToken()]) {
      const response = await harness.api("GET", "/users", undefined, token);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(response.body.code).toBe("UNAUTHENTICATED");
    }
  });

  it("answers 403 to a member, even on routes that exist only for admins", async () => {
    const member = await createUser("member@example.com");
    const token = (await createToken(member.id)).body.token;
    for (const [method, path] of [
      ["GET", "/users"],
      ["POST", "/users"],
      ["GET", `/users/${member.id}`],
      ["GET", "/fleet"],
    ] as const) {
      const response = await harness.api(method, path, method === "POST" ? {} : undefined, token);
      expect(response.status).toBe(403);
      expect(response.body.code).toBe("FORBIDDEN");
    }
  });

  it("stops accepting an expired token", async () => {
    const admin = await createUser("expiring-admin@example.com", "org_admin");
    const created = await createToken(admin.id, {
      name: "short",
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await harness.api("GET", "/users", undefined, created.body.token)).status).toBe(200);
    await harness.prisma.accessToken.update({
      where: { id: created.body.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect((await harness.api("GET", "/users", undefined, created.body.token)).status).toBe(401);
  });
});

describe("bootstrap admin", () => {
  it("provisions the configured token once, across restarts", async () => {
    await harness.controlPlane.close();
    const restarted = await harness.startControlPlane();
    expect(restarted.bootstrapAdminToken).toBeUndefined();
    expect((await harness.api("GET", "/users")).status).toBe(200);
    const digest = digestAccessToken(
      harness.adminToken,
      Buffer.from(harness.keys.SWITCHBOARD_TOKEN_DIGEST_KEY, "base64"),
    );
    const tokens = await harness.prisma.accessToken.findMany({ where: { digest }, include: { user: true } });
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.user).toMatchObject({
      email: "admin@switchboard.local",
      name: "Bootstrap admin",
      role: "org_admin",
    });
  });

  it("mints a token when none is configured and no org admin exists, and only then", async () => {
    const fresh = await ControlPlaneHarness.start({ env: { SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: "" } });
    try {
      const minted = fresh.controlPlane.bootstrapAdminToken;
      expect(minted).toMatch(/^sbp_/);
      expect((await fresh.api("GET", "/users", undefined, minted)).status).toBe(200);
      await fresh.controlPlane.close();
      expect((await fresh.startControlPlane()).bootstrapAdminToken).toBeUndefined();
      expect((await fresh.api("GET", "/users", undefined, minted)).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});
