import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneHarness } from "../../../test/control-plane-harness.js";

let harness: ControlPlaneHarness;
let manager: { id: string; token: string };
let ownGroup: string;
let otherGroup: string;
let otherServer: string;
let grantee: string;

const as = (token: string) => ({
  call: (method: string, path: string, body?: unknown) => harness.api(method, path, body, token),
});

beforeAll(async () => {
  harness = await ControlPlaneHarness.start();
  ownGroup = (await harness.api("POST", "/server-groups", { name: "Engineering" })).body.id;
  otherGroup = (await harness.api("POST", "/server-groups", { name: "Finance" })).body.id;
  const user = await harness.api("POST", "/users", { email: "mgr@example.com", name: "Manager" });
  manager = {
    id: user.body.id,
    token: (await harness.api("POST", `/users/${user.body.id}/tokens`, { name: "t" })).body.token,
  };
  await harness.api("PUT", `/server-groups/${ownGroup}/managers/${manager.id}`);
  otherServer = (
    await harness.api("POST", "/servers", { name: "Ledger", url: "http://ledger.test/mcp", groupId: otherGroup })
  ).body.id;
  grantee = (await harness.api("POST", "/users", { email: "dev@example.com", name: "Dev" })).body.id;
});

afterAll(async () => {
  await harness?.close();
});

describe("a server-group manager", () => {
  it("manages their group's servers and grants", async () => {
    const me = as(manager.token);
    const created = await me.call("POST", "/servers", { name: "Repo", url: "http://repo.test/mcp" });
    expect(created.status).toBe(201);
    expect(created.body.groupId).toBe(ownGroup);
    expect((await me.call("PATCH", `/servers/${created.body.id}`, { description: "Ours" })).status).toBe(200);
    const grant = await me.call("POST", "/grants", {
      subject: { type: "user", id: grantee },
      target: { type: "server", id: created.body.id },
    });
    expect(grant.status).toBe(201);
    expect((await me.call("GET", "/servers")).body.items.map((server: { id: string }) => server.id)).toEqual([
      created.body.id,
    ]);
    expect((await me.call("GET", "/grants")).body.items.map((item: { id: string }) => item.id)).toEqual([
      grant.body.id,
    ]);
    expect((await me.call("DELETE", `/grants/${grant.body.id}`)).status).toBe(204);
    expect((await me.call("DELETE", `/servers/${created.body.id}`)).status).toBe(204);
  });

  it("cannot touch another group's servers or grant access to them", async () => {
    const me = as(manager.token);
    expect(
      (await me.call("POST", "/servers", { name: "Sneaky", url: "http://x.test/mcp", groupId: otherGroup })).status,
    ).toBe(403);
    expect((await me.call("GET", `/servers/${otherServer}`)).status).toBe(403);
    expect((await me.call("PATCH", `/servers/${otherServer}`, { enabled: false })).status).toBe(403);
    expect((await me.call("DELETE", `/servers/${otherServer}`)).status).toBe(403);
    expect((await me.call("POST", `/servers/${otherServer}/catalog/sync`)).status).toBe(403);
    const grant = await me.call("POST", "/grants", {
      subject: { type: "user", id: manager.id },
      target: { type: "server", id: otherServer },
    });
    expect(grant.status).toBe(403);
    const adminGrant = await harness.api("POST", "/grants", {
      subject: { type: "user", id: grantee },
      target: { type: "server", id: otherServer },
    });
    expect((await me.call("GET", `/grants/${adminGrant.body.id}`)).status).toBe(403);
    expect((await me.call("DELETE", `/grants/${adminGrant.body.id}`)).status).toBe(403);
  });

  it("cannot raise anyone's rights, their own included", async () => {
    const me = as(manager.token);
    expect((await me.call("PUT", `/server-groups/${otherGroup}/managers/${manager.id}`)).status).toBe(403);
    expect((await me.call("PUT", `/server-groups/${ownGroup}/managers/${grantee}`)).status).toBe(403);
    expect(
      (await me.call("POST", "/users", { email: "boss@example.com", name: "Boss", role: "org_admin" })).status,
    ).toBe(403);
    expect((await me.call("POST", "/virtual-servers", { name: "Mine", tools: [] })).status).toBe(403);
    expect((await me.call("GET", `/access/effective?principalType=user&principalId=${grantee}`)).status).toBe(403);
    expect((await harness.api("GET", `/users/${manager.id}`)).body.role).toBe("member");
  });
});
