import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneHarness } from "../../test/control-plane-harness.js";

const SECRET = "very-secret-upstream-value";
let harness: ControlPlaneHarness;

beforeAll(async () => {
  harness = await ControlPlaneHarness.start();
});

afterAll(async () => {
  await harness?.close();
});

describe("servers", () => {
  it("never shows header values, and stores them only encrypted", async () => {
    const created = await harness.api("POST", "/servers", {
      name: "Secret Server",
      url: "https://mcp.example.com/mcp",
      auth: { type: "headers", headers: { "X-Api-Key": SECRET, Authorization: `Bearer ${SECRET}` } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: "Secret Server",
      slug: "secret-server",
      groupId: expect.any(String),
      url: "https://mcp.example.com/mcp",
      auth: { type: "headers", headerNames: ["X-Api-Key", "Authorization"] },
      toolApproval: "auto",
      description: null,
      tags: [],
      enabled: true,
      revision: 1,
      catalog: { syncedAt: null, error: expect.any(String) },
      health: { status: "unhealthy", checkedAt: expect.any(String), latencyMs: null },
      createdAt: expect.any(String),
    });
    const responses = [
      created,
      await harness.api("GET", `/servers/${created.body.id}`),
      await harness.api("GET", "/servers"),
    ];
    for (const response of responses) expect(JSON.stringify(response.body)).not.toContain(SECRET);
    const row = await harness.prisma.mcpServer.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.authType).toBe("headers");
    expect(JSON.stringify(row.authSecret)).not.toContain(SECRET);
    expect(JSON.stringify(row.authSecret)).not.toContain(Buffer.from(SECRET).toString("base64"));
    const base64 = expect.stringMatching(/^[A-Za-z0-9+/]+=*$/);
    const sealed = { iv: base64, tag: base64, ct: base64 };
    expect(row.authSecret).toEqual({ v: 1, ...sealed, wrappedKey: sealed });
  });

  it("derives the slug from the name, and refuses a slug that is taken", async () => {
    const first = await harness.api("POST", "/servers", {
      name: "  GitHub Enterprise!  ",
      url: "http://127.0.0.1:9/mcp",
    });
    expect(first.body).toMatchObject({ slug: "github-enterprise", auth: { type: "none" } });
    const clash = await harness.api("POST", "/servers", {
      name: "Other",
      slug: "github-enterprise",
      url: "http://x.test/",
    });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ code: "CONFLICT", detail: expect.stringContaining("github-enterprise") });
    const underivable = await harness.api("POST", "/servers", { name: "!!!", url: "http://x.test/" });
    expect(underivable.status).toBe(400);
    expect(underivable.body.errors).toEqual([{ field: "slug", message: expect.any(String) }]);
  });

  it("validates url, slug and header auth field by field", async () => {
    const cases: Array<[object, string[]]> = [
      [{ name: "x", url: "file:///etc/passwd" }, ["url"]],
      [{ name: "x", url: "ftp://example.com" }, ["url"]],
      [{ name: "x", slug: "Not_A_Slug", url: "http://x.test" }, ["slug"]],
      [{ name: "x", url: "http://x.test", auth: { type: "basic" } }, ["auth.type"]],
      [{ name: "x", url: "http://x.test", auth: { type: "headers" } }, ["auth.headers"]],
      [{ name: "x", url: "http://x.test", auth: { type: "none", headers: { A: "b" } } }, ["auth.headers"]],
      [
        { name: "x", url: "http://x.test", auth: { type: "headers", headers: { Host: "evil" } } },
        ["auth.headers.Host"],
      ],
      [
        { name: "x", url: "http://x.test", auth: { type: "headers", headers: { "X-A": "a\r\nX-B: b" } } },
        ["auth.headers.X-A"],
      ],
      [{ name: "x", url: "http://x.test", auth: { type: "headers", headers: { "X-A": 42 } } }, ["auth.headers.X-A"]],
    ];
    for (const [body, fields] of cases) {
      const response = await harness.api("POST", "/servers", body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(fields);
      expect(JSON.stringify(response.body)).not.toContain("a\\r\\nX-B");
    }
  });

  it("deletes a server with the grants on it", async () => {
    const server = await harness.api("POST", "/servers", { name: "Doomed", url: "http://doomed.test/mcp" });
    const user = await harness.api("POST", "/users", { email: "doomed@example.com", name: "D" });
    const grant = await harness.api("POST", "/grants", {
      subject: { type: "user", id: user.body.id },
      target: { type: "server", id: server.body.id },
    });
    expect((await harness.api("DELETE", `/servers/${server.body.id}`)).status).toBe(204);
    expect((await harness.api("GET", `/servers/${server.body.id}`)).status).toBe(404);
    expect((await harness.api("GET", `/grants/${grant.body.id}`)).status).toBe(404);
    expect((await harness.api("DELETE", `/servers/${randomUUID()}`)).status).toBe(404);
  });

  it("updates a server under optimistic concurrency, and a disabled server leaves the snapshot's views", async () => {
    const created = await harness.api("POST", "/servers", { name: "Editable", url: "http://editable.test/mcp" });
    const read = await harness.api("GET", `/servers/${created.body.id}`);
    const etag = read.headers.get("etag");
    expect(etag).toBe('"1"');
    const updated = await harness.api(
      "PATCH",
      `/servers/${created.body.id}`,
      { description: "Edited", tags: ["a", "b", "a"], enabled: false },
      harness.adminToken,
      harness.url,
      { "if-match": etag as string },
    );
    expect(updated.status).toBe(200);
    expect(updated.headers.get("etag")).toBe('"2"');
    expect(updated.body).toMatchObject({ description: "Edited", tags: ["a", "b"], enabled: false, revision: 2 });
    const stale = await harness.api(
      "PATCH",
      `/servers/${created.body.id}`,
      { name: "Lost update" },
      harness.adminToken,
      harness.url,
      {
        "if-match": etag as string,
      },
    );
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: "PRECONDITION_FAILED" });
    const snapshot = (await harness.publishedSnapshot()).snapshot;
    expect(snapshot.servers.find((server) => server.id === created.body.id)?.enabled).toBe(false);
    expect((await harness.api("PATCH", `/servers/${randomUUID()}`, { name: "x" })).status).toBe(404);
    expect((await harness.api("PATCH", `/servers/${created.body.id}`, { enabled: "yes" })).status).toBe(400);
  });

  it("filters lists: servers by tag and enabled, users by status and email", async () => {
    const tagged = await harness.api("POST", "/servers", {
      name: "Tagged",
      url: "http://tagged.test/mcp",
      tags: ["finance"],
    });
    const byTag = await harness.api("GET", "/servers?tag=finance");
    expect(byTag.body.items.map((server: { id: string }) => server.id)).toEqual([tagged.body.id]);
    const disabled = await harness.api("GET", "/servers?enabled=false");
    expect(disabled.body.items.every((server: { enabled: boolean }) => !server.enabled)).toBe(true);
    const user = await harness.api("POST", "/users", { email: "Filter@Example.com", name: "F" });
    await harness.api("POST", `/users/${user.body.id}/deactivate`);
    const deactivated = await harness.api("GET", "/users?status=deactivated");
    expect(deactivated.body.items.map((item: { id: string }) => item.id)).toEqual([user.body.id]);
    expect((await harness.api("GET", "/users?email=filter@example.com")).body.items).toHaveLength(1);
    expect((await harness.api("GET", "/servers?enabled=maybe")).status).toBe(400);
  });
});
