import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneHarness } from "../../test/control-plane-harness.js";

type Operation = { security?: unknown[]; "x-switchboard-permission"?: string; responses: Record<string, unknown> };
type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, Operation>> };

let harness: ControlPlaneHarness;

beforeAll(async () => {
  harness = await ControlPlaneHarness.start();
});

afterAll(async () => {
  await harness?.close();
});

describe("OpenAPI", () => {
  it("documents every route, publicly", async () => {
    const response = await fetch(`${harness.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApiDocument;
    expect(document.openapi).toMatch(/^3\./);
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        "POST /api/v1/users",
        "GET /api/v1/users",
        "GET /api/v1/users/{id}",
        "DELETE /api/v1/users/{id}",
        "POST /api/v1/users/{id}/tokens",
        "GET /api/v1/users/{id}/tokens",
        "GET /api/v1/tokens/{id}",
        "DELETE /api/v1/tokens/{id}",
        "POST /api/v1/servers",
        "GET /api/v1/servers",
        "GET /api/v1/servers/{id}",
        "DELETE /api/v1/servers/{id}",
        "PATCH /api/v1/servers/{id}",
        "GET /api/v1/servers/{id}/tools",
        "GET /api/v1/servers/{id}/tools/{name}",
        "POST /api/v1/servers/{id}/tools/{name}/approve",
        "POST /api/v1/servers/{id}/tools/{name}/revoke",
        "POST /api/v1/servers/{id}/catalog/sync",
        "POST /api/v1/grants",
        "GET /api/v1/grants",
        "GET /api/v1/grants/{id}",
        "DELETE /api/v1/grants/{id}",
        "GET /api/v1/fleet",
        "GET /api/v1/snapshots/latest",
        "GET /api/v1/health",
        "POST /api/v1/users/{id}/deactivate",
        "POST /api/v1/users/{id}/reactivate",
        "POST /api/v1/teams",
        "GET /api/v1/teams",
        "GET /api/v1/teams/{id}",
        "DELETE /api/v1/teams/{id}",
        "PUT /api/v1/teams/{id}/members/{userId}",
        "DELETE /api/v1/teams/{id}/members/{userId}",
        "POST /api/v1/teams/{id}/virtual-accounts",
        "GET /api/v1/teams/{id}/virtual-accounts",
        "GET /api/v1/virtual-accounts/{id}",
        "DELETE /api/v1/virtual-accounts/{id}",
        "POST /api/v1/virtual-accounts/{id}/deactivate",
        "POST /api/v1/virtual-accounts/{id}/reactivate",
        "POST /api/v1/virtual-accounts/{id}/tokens",
        "GET /api/v1/virtual-accounts/{id}/tokens",
        "POST /api/v1/virtual-servers",
        "GET /api/v1/virtual-servers",
        "GET /api/v1/virtual-servers/{id}",
        "DELETE /api/v1/virtual-servers/{id}",
        "GET /api/v1/access/effective",
        "GET /api/v1/access/explain",
        "GET /api/v1/audit-events",
        "POST /api/v1/server-groups",
        "GET /api/v1/server-groups",
        "GET /api/v1/server-groups/{id}",
        "DELETE /api/v1/server-groups/{id}",
        "PUT /api/v1/server-groups/{id}/managers/{userId}",
        "DELETE /api/v1/server-groups/{id}/managers/{userId}",
      ].sort(),
    );
  });

  it("states the permission and the bearer scheme of every admin route", async () => {
    const document = (await (await fetch(`${harness.url}/api/openapi.json`)).json()) as OpenApiDocument;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (path === "/api/v1/health") {
          expect(operation.security).toBeUndefined();
          continue;
        }
        expect(operation["x-switchboard-permission"], `${method} ${path}`).toEqual(expect.any(String));
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["401", "403"]));
      }
    }
  });

  it("serves the browsable UI", async () => {
    const response = await fetch(`${harness.url}/api/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("swagger");
  });
});
