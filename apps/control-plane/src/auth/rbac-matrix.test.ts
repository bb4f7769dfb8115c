import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneHarness } from "../../test/control-plane-harness.js";

/**
 * Every route of the admin API × every kind of caller, generated from the route table (the OpenAPI
 * document Nest builds from the controllers, which openapi.test.ts holds to the full route list):
 * a new route is in this matrix the moment it exists, and it is admin-only unless listed here.
 */
const PUBLIC_ROUTES = new Set(["GET /api/v1/health"]);

type Caller = "anonymous" | "member" | "virtual account" | "org admin";
let harness: ControlPlaneHarness;
const tokens: Partial<Record<Caller, string>> = {};
let routes: { method: string; path: string }[] = [];

/** What each caller must get: anonymous 401, non-admins 403, an admin anything but those two. */
function expectedFor(caller: Caller, route: string): (status: number) => boolean {
  if (PUBLIC_ROUTES.has(route)) return (status) => status === 200;
  if (caller === "anonymous") return (status) => status === 401;
  if (caller === "org admin") return (status) => status !== 401 && status !== 403 && status < 500;
  return (status) => status === 403;
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
  const document = (await fetch(`${harness.url}/api/openapi.json`).then((response) => response.json())) as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })),
  );
});

afterAll(async () => {
  await harness?.close();
});

describe("RBAC matrix", () => {
  it("covers the whole route table", () => {
    expect(routes.length).toBeGreaterThan(40);
  });

  it.each<Caller>(["anonymous", "member", "virtual account", "org admin"])(
    "answers %s as expected on every route",
    async (caller) => {
      const mismatches: string[] = [];
      for (const { method, path } of routes) {
        const url = path.replace(/\{(\w+)\}/g, (_match, name: string) =>
          name === "name" ? "some_tool" : randomUUID(),
        );
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
        const route = `${method} ${path}`;
        if (!expectedFor(caller, route)(response.status)) mismatches.push(`${route} → ${response.status}`);
      }
      expect(mismatches).toEqual([]);
    },
  );
});
