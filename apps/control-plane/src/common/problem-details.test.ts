import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneHarness } from "../../test/control-plane-harness.js";

let harness: ControlPlaneHarness;

beforeAll(async () => {
  harness = await ControlPlaneHarness.start();
});

afterAll(async () => {
  await harness?.close();
});

async function raw(method: string, path: string, init: { body?: string; contentType?: string } = {}) {
  const response = await fetch(`${harness.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${harness.adminToken}`,
      ...(init.contentType ? { "content-type": init.contentType } : {}),
    },
    body: init.body,
  });
  const text = await response.text();
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  return { status: response.status, body: JSON.parse(text) };
}

describe("errors", () => {
  it("are problem+json for malformed JSON, unknown routes and media types, and oversized bodies", async () => {
    expect(
      (await raw("POST", "/api/v1/users", { body: "{not json", contentType: "application/json" })).body,
    ).toMatchObject({
      status: 400,
      code: "MALFORMED_REQUEST",
    });
    expect((await raw("GET", "/api/v1/nothing-here")).body).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect((await raw("PUT", "/api/v1/users")).status).toBe(404);
    expect((await raw("GET", "/api/v1/users/not-a-uuid")).body).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect((await raw("POST", "/api/v1/users", { body: "email=a", contentType: "text/plain" })).body).toMatchObject({
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
    const huge = JSON.stringify({ email: "big@example.com", name: "x".repeat(1024 * 1024) });
    expect((await raw("POST", "/api/v1/users", { body: huge, contentType: "application/json" })).body).toMatchObject({
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    });
  });

  it("refuses unknown query parameters and a missing body field by field", async () => {
    expect((await raw("GET", "/api/v1/users?sort=email")).body.errors).toEqual([
      { field: "sort", message: expect.any(String) },
    ]);
    const empty = await raw("POST", "/api/v1/users");
    expect(empty.status).toBe(400);
    expect(new Set(empty.body.errors.map((error: { field: string }) => error.field))).toEqual(
      new Set(["email", "name"]),
    );
  });

  it("hide internals when the database is gone", async () => {
    await harness.prisma.$executeRawUnsafe('alter table "User" rename to "UserGone"');
    try {
      const response = await raw("GET", "/api/v1/users/00000000-0000-4000-8000-000000000000");
      expect(response.body).toEqual({
        type: expect.any(String),
        title: "Internal Server Error",
        status: 500,
        code: "INTERNAL",
        detail: expect.any(String),
      });
      expect(JSON.stringify(response.body)).not.toContain("UserGone");
      expect(JSON.stringify(response.body)).not.toContain("relation");
    } finally {
      await harness.prisma.$executeRawUnsafe('alter table "UserGone" rename to "User"');
    }
  });
});

describe("health", () => {
  it("is public", async () => {
    const response = await fetch(`${harness.url}/api/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
