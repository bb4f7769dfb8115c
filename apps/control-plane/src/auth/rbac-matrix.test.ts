import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneHarness } from "../../test/control-plane-harness.js";

/**
 * Every route of the admin API × every kind of caller, generated from the route table (the OpenAPI
 * document Nest builds from the controllers, which openapi.test.ts holds to the full route list):
 * a new route is in this matrix the moment it exists, and it is admin-only unless listed here.
 */
const PUBLIC_ROUTES = new Set(["GET /api/v1/health"]);

type Caller =
  | "anonymous"
  | "member"
  | "virtual account"
  | "group manager, own group"
  | "group manager, other group"
  | "org admin";
/** The permissions a server-group manager holds, within their groups. */
const MANAGER_PERMISSIONS = new Set(["registry:manage", "access:manage"]);
let harness: ControlPlaneHarness;
const tokens: Partial<Record<Caller, string>> = {};
let routes: { method: string; path: string; permission: string | undefined }[] = [];
/** Real ids for path parameters: a server and a grant in the manager's group, and in another. */
const ids = { own: { server: "", grant: "" }, other: { server: "", grant: "" } };

/**
 * What each caller must get: anonymous 401; members and virtual accounts 403; a group manager
 * anything but 401/403 on registry and access routes within their group and 403 elsewhere (on
 * another group's server or grant, and on every other route); an admin anything but 401/403.
 */
function expectedFor(caller: Caller, route: { method: string; path: string; permission: string | undefined }) {
  const allowed = (status: number) => status !== 401 && status !== 403 && status < 500;
  if (PUBLIC_ROUTES.has(`${route.method} ${route.path}`)) return (status: number) => status === 200;
  if (caller === "anonymous") return (status: number) => status === 401;
  if (caller === "org admin") return allowed;
  if (caller.startsWith("group manager") && MANAGER_PERMISSIONS.has(route.permission ?? "")) {
    const namesAResource = /^\/api\/v1\/(servers|grants)\/\{id\}/.test(route.path);
    if (caller === "group manager, own group" || !namesAResource) return allowed;
    // The matrix sends `{}` as every body: validation answers 400 before the resource is looked up.
    const sendsBody = route.method !== "GET" && route.method !== "DELETE";
    return (status: number) => status === 403 || (sendsBody && status === 400);
  }
  return (status: number) => status === 403;
}

function urlFor(caller: Caller, path: string): string {
  const side = caller === "group manager, other group" ? ids.other : ids.own;
  const real = caller.startsWith("group manager");
  return path.replace(/\{(\w+)\}/g, (_match, name: string, offset: number) => {
    if (name === "name") return "some_tool";
    if (real && name === "id" && path.startsWith("/api/v1/servers/", 0) && offset === "/api/v1/servers/".length)
      return side.server;
    if (real && name === "id" && path.startsWith("/api/v1/grants/")) return side.grant;
    return randomUUID();
  });
}

beforeAll(async () => {
  harness = await ControlPlaneHarness.start();
  tokens["org admin"] = harness.adminToken;
  const member = await harness.api("POST", "/users", { email: "member@example.com", name: "Member" });
  tokens.member = (await harness.api("POST", `/users/${member.body.id}/tokens`, { name: "t" })).body.token;
  const team = await harness.api("POST", "/teams", { name: "Bots" });
  const account = await harness.api("POST", `/teams/${team.body.id}/virtual-accounts`, { name: "bot" });
  tokens["virtual account"] = (
    await harness.api("POST", `/virtual-accounts/${account.body.id}/tokens`, { name: "t" })
  ).body.token;
  const ownGroup = (await harness.api("POST", "/server-groups", { name: "Own" })).body.id;
  const otherGroup = (await harness.api("POST", "/server-groups", { name: "Other" })).body.id;
  const manager = await harness.api("POST", "/users", { email: "manager@example.com", name: "Manager" });
  await harness.api("PUT", `/server-groups/${ownGroup}/managers/${manager.body.id}`);
  const managerToken = (await harness.api("POST", `/users/${manager.body.id}/tokens`, { name: "t" })).body.token;
  tokens["group manager, own group"] = managerToken;
  tokens["group manager, other group"] = managerToken;
  for (const [side, groupId] of [
    ["own", ownGroup],
    ["other", otherGroup],
  ] as const) {
    const server = await harness.api("POST", "/servers", { name: `S ${side}`, url: "http://s.test/mcp", groupId });
    const grant = await harness.api("POST", "/grants", {
      subject: { type: "user", id: manager.body.id },
      target: { type: "server", id: server.body.id },
    });
    ids[side] = { server: server.body.id, grant: grant.body.id };
  }
  const document = (await fetch(`${harness.url}/api/openapi.json`).then((response) => response.json())) as {
    paths: Record<string, Record<string, { "x-switchboard-permission"?: string }>>;
  };
  routes = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      permission: operation["x-switchboard-permission"],
    })),
  );
});

afterAll(async () => {
  await harness?.close();
});

describe("RBAC matrix", () => {
  it("covers the whole route table", () => {
    expect(routes.length).toBeGreaterThan(40);
  });

  it.each<Caller>([
    "anonymous",
    "member",
    "virtual account",
    "group manager, other group",
    "group manager, own group",
    "org admin",
  ])("answers %s as expected on every route", async (caller) => {
    const mismatches: string[] = [];
    // Deletions last, so they do not take away what the other calls address.
    const ordered = [...routes].sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"));
    for (const route of ordered) {
      const { method, path } = route;
      const url = urlFor(caller, path);
      const token = tokens[caller];
      const response = await fetch(`${harness.url}${url}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(method === "GET" || method === "DELETE" ? {} : { "content-type": "application/json" }),
        },
        ...(method === "GET" || method === "DELETE" ? {} : { body: "{}" }),
      });
      await response.arrayBuffer();
      if (!expectedFor(caller, route)(response.status)) mismatches.push(`${method} ${path} → ${response.status}`);
    }
    expect(mismatches).toEqual([]);
  });
});
