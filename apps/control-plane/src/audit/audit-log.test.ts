import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneHarness } from "../../test/control-plane-harness.js";

let harness: ControlPlaneHarness;

beforeAll(async () => {
  harness = await ControlPlaneHarness.start();
});

afterAll(async () => {
  await harness?.close();
});

describe("audit log", () => {
  it("records every mutation with its actor, target and digests, filterable and paginated, without secrets", async () => {
    const admin = (await harness.api("GET", "/audit-events?action=bootstrap-admin.provisioned")).body.items[0];
    expect(admin).toMatchObject({ actor: { type: "system", id: null } });
    const user = await harness.api("POST", "/users", { email: "audited@example.com", name: "Audited" });
    const token = await harness.api("POST", `/users/${user.body.id}/tokens`, { name: "t" });
    const team = await harness.api("POST", "/teams", { name: "Audited team" });
    await harness.api("PUT", `/teams/${team.body.id}/members/${user.body.id}`);
    await harness.api("DELETE", `/tokens/${token.body.id}`);

    const events = (await harness.api("GET", "/audit-events?limit=200")).body.items as {
      action: string;
      actor: { type: string; id: string | null };
      target: { type: string; id: string };
      afterSha256: string | null;
      seq: string;
    }[];
    const actions = events.map((event) => event.action);
    expect(actions.slice(0, 5)).toEqual([
      "token.revoked",
      "team.member_added",
      "team.created",
      "token.created",
      "user.created",
    ]);
    const created = events.find((event) => event.action === "user.created");
    expect(created).toMatchObject({
      actor: { type: "user", id: expect.any(String) },
      target: { type: "user", id: user.body.id },
      afterSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(events.find((event) => event.action === "token.revoked")?.target).toEqual({
      type: "token",
      id: token.body.id,
    });
    expect(JSON.stringify(events)).not.toContain(token.body.token);

    const byTarget = await harness.api("GET", `/audit-events?targetType=team&targetId=${team.body.id}`);
    expect(byTarget.body.items.map((event: { action: string }) => event.action)).toEqual([
      "team.member_added",
      "team.created",
    ]);
    const firstPage = await harness.api("GET", "/audit-events?limit=2");
    const secondPage = await harness.api("GET", `/audit-events?limit=2&cursor=${firstPage.body.nextCursor}`);
    expect(secondPage.body.items[0].seq).toBe(events[2]?.seq);
    expect((await harness.api("GET", "/audit-events?cursor=bad!")).status).toBe(400);
    expect(
      (await harness.api("GET", `/audit-events?since=${new Date(Date.now() + 60_000).toISOString()}`)).body.items,
    ).toEqual([]);
  });
});
