import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneHarness } from "../../test/control-plane-harness.js";

let harness: ControlPlaneHarness;
let userId: string;
let serverId: string;

beforeAll(async () => {
  harness = await ControlPlaneHarness.start();
  userId = (await harness.api("POST", "/users", { email: "grantee@example.com", name: "G" })).body.id;
  serverId = (await harness.api("POST", "/servers", { name: "Tools", url: "http://tools.test/mcp" })).body.id;
});

afterAll(async () => {
  await harness?.close();
});

const grantBody = (subjectId: string, targetId: string, names?: string[], mode: "allow" | "deny" = "allow") => ({
  subject: { type: "user", id: subjectId },
  target: { type: "server", id: targetId },
  ...(names ? { tools: { mode, names } } : {}),
});

describe("grants", () => {
  it("grants every tool, an allow-list or a deny-list, and reads them back", async () => {
    const all = await harness.api("POST", "/grants", grantBody(userId, serverId));
    expect(all.status).toBe(201);
    expect(all.body).toEqual({
      id: expect.any(String),
      subject: { type: "user", id: userId },
      target: { type: "server", id: serverId },
      tools: { mode: "all" },
      createdAt: expect.any(String),
    });
    const some = await harness.api("POST", "/grants", grantBody(userId, serverId, ["echo", "add", "echo"]));
    expect(some.body.tools).toEqual({ mode: "allow", names: ["echo", "add"] });
    const denied = await harness.api("POST", "/grants", grantBody(userId, serverId, ["delete_repo"], "deny"));
    expect(denied.body.tools).toEqual({ mode: "deny", names: ["delete_repo"] });
    expect((await harness.api("GET", `/grants/${some.body.id}`)).body).toEqual(some.body);
    expect((await harness.api("DELETE", `/grants/${some.body.id}`)).status).toBe(204);
    expect((await harness.api("GET", `/grants/${some.body.id}`)).status).toBe(404);
    expect((await harness.api("DELETE", `/grants/${some.body.id}`)).status).toBe(404);
  });

  it("filters the list by subject and target", async () => {
    const otherUser = (await harness.api("POST", "/users", { email: "other@example.com", name: "O" })).body.id;
    const mine = await harness.api("POST", "/grants", grantBody(otherUser, serverId, ["echo"]));
    const bySubject = await harness.api("GET", `/grants?subjectId=${otherUser}`);
    expect(bySubject.body).toEqual({ items: [mine.body], nextCursor: null });
    const byTarget = await harness.api("GET", `/grants?targetId=${serverId}&limit=1`);
    expect(byTarget.body.items).toHaveLength(1);
    expect(byTarget.body.nextCursor).toEqual(expect.any(String));
    expect((await harness.api("GET", `/grants?subjectId=${randomUUID()}`)).body.items).toEqual([]);
    expect((await harness.api("GET", "/grants?subjectId=nope")).status).toBe(400);
  });

  it("answers 404 when the subject or the target does not exist", async () => {
    const noUser = await harness.api("POST", "/grants", grantBody(randomUUID(), serverId));
    expect(noUser.status).toBe(404);
    expect(noUser.body.detail).toContain("Subject");
    const noServer = await harness.api("POST", "/grants", grantBody(userId, randomUUID()));
    expect(noServer.status).toBe(404);
    expect(noServer.body.detail).toContain("Target");
  });

  it("validates the references and the tool list", async () => {
    const invalid = await harness.api("POST", "/grants", {
      subject: { type: "group", id: "x" },
      target: { type: "server" },
      tools: { mode: "some", names: ["", 3] },
    });
    expect(invalid.status).toBe(400);
    expect(new Set(invalid.body.errors.map((error: { field: string }) => error.field))).toEqual(
      new Set(["subject.type", "subject.id", "target.id", "tools.mode", "tools.names"]),
    );
    const emptyList = await harness.api("POST", "/grants", {
      ...grantBody(userId, serverId),
      tools: { mode: "deny", names: [] },
    });
    expect(emptyList.body.errors).toEqual([
      { field: "tools.names", message: 'mode "deny" needs at least one tool name' },
    ]);
    const missing = await harness.api("POST", "/grants", { subject: [{ type: "user", id: userId }] });
    expect(missing.status).toBe(400);
    expect(new Set(missing.body.errors.map((error: { field: string }) => error.field))).toEqual(
      new Set(["subject", "target"]),
    );
  });
});
