import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneHarness } from "../../test/control-plane-harness.js";

let harness: ControlPlaneHarness;

beforeAll(async () => {
  harness = await ControlPlaneHarness.start();
});

afterAll(async () => {
  await harness?.close();
});

const post = (path: string, body: unknown, key: string) =>
  harness.api("POST", path, body, harness.adminToken, harness.url, { "idempotency-key": key });

describe("Idempotency-Key on creates", () => {
  it("answers a retry with the first answer instead of creating twice", async () => {
    const first = await post("/teams", { name: "Once" }, "create-team-once");
    const retry = await post("/teams", { name: "Once" }, "create-team-once");
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(
      (await harness.api("GET", "/teams")).body.items.filter((team: { name: string }) => team.name === "Once"),
    ).toHaveLength(1);
  });

  it("refuses the same key for a different request, and lets a failed request be retried", async () => {
    await post("/teams", { name: "Alpha" }, "shared-key");
    const reused = await post("/teams", { name: "Beta" }, "shared-key");
    expect(reused.status).toBe(409);
    expect(reused.body.detail).toContain("different request");
    const invalid = await post("/teams", { name: "" }, "fails-first");
    expect(invalid.status).toBe(400);
    expect((await post("/teams", { name: "" }, "fails-first")).status).toBe(400);
    expect((await post("/teams", { name: "Gamma" }, "bad key with spaces")).status).toBe(400);
  });

  it("never keeps a new token's secret for a replay", async () => {
    const user = await harness.api("POST", "/users", { email: "idem@example.com", name: "Idem" });
    const first = await post(`/users/${user.body.id}/tokens`, { name: "ci" }, "token-once");
    const retry = await post(`/users/${user.body.id}/tokens`, { name: "ci" }, "token-once");
    expect(first.body.token).toMatch(/^sbp_/);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.token).toBeUndefined();
    const stored = await harness.prisma.idempotencyRecord.findMany();
    expect(JSON.stringify(stored)).not.toContain(first.body.token);
  });
});
