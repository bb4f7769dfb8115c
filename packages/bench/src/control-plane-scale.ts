import { randomBytes, randomUUID } from "node:crypto";
import { InProcessBus } from "@switchboard/bus";
import { loadControlPlaneConfig, startControlPlane } from "@switchboard/control-plane";
import { createPrismaClient, migrateDatabase } from "@switchboard/database";
import { generateDeploymentKeys, mintAccessToken } from "@switchboard/snapshot";
import { LARGE_POLICY_SHAPE as shape } from "./large-policy.js";

/**
 * Control-plane side of the large-policy measurement: seeds issue 3's policy size into an empty
 * database (DATABASE_URL), then times compile + sign + publish of a snapshot after one change, and
 * `explain` over it. Run: DATABASE_URL=postgresql://…/empty node packages/bench/dist/control-plane-scale.js
 */
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("set DATABASE_URL to an empty Postgres database");
  process.exit(2);
}
await migrateDatabase(databaseUrl);
const prisma = createPrismaClient(databaseUrl);
const ids = (count: number) => Array.from({ length: count }, () => randomUUID());
const users = ids(shape.users);
const teams = ids(shape.teams);
const servers = ids(shape.servers);
const chunked = async <T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) => {
  for (let start = 0; start < rows.length; start += 5_000) await insert(rows.slice(start, start + 5_000));
};
const seedStarted = performance.now();
await chunked(
  users.map((id, index) => ({ id, email: `user${index}@example.com`, name: `User ${index}` })),
  (data) => prisma.user.createMany({ data }),
);
await prisma.team.createMany({ data: teams.map((id, index) => ({ id, name: `Team ${index}` })) });
await chunked(
  users.flatMap((userId, index) =>
    Array.from({ length: shape.teamsPerUser }, (_, slot) => ({
      userId,
      teamId: teams[(index * shape.teamsPerUser + slot) % shape.teams] as string,
    })),
  ),
  (data) => prisma.teamMember.createMany({ data, skipDuplicates: true }),
);
const group = await prisma.serverGroup.create({ data: { name: "Benchmark" } });
await prisma.mcpServer.createMany({
  data: servers.map((id, index) => ({
    id,
    groupId: group.id,
    name: `Server ${index}`,
    slug: `server-${index}`,
    url: `https://s${index}.example.com/mcp`,
  })),
});
await chunked(
  servers.flatMap((serverId) =>
    Array.from({ length: shape.toolsPerServer }, (_, tool) => {
      const sha256 = randomBytes(32).toString("hex");
      const definition = { name: `tool_${tool}`, inputSchema: { type: "object" } };
      return {
        serverId,
        name: `tool_${tool}`,
        definition,
        sha256,
        approvedDefinition: definition,
        approvedSha256: sha256,
      };
    }),
  ),
  (data) => prisma.mcpTool.createMany({ data }),
);
await chunked(
  Array.from({ length: shape.tokens }, (_, index) => ({
    userId: users[index % shape.users] as string,
    name: `token ${index}`,
    displayPrefix: "sbp_bench",
    digest: randomBytes(32).toString("hex"),
  })),
  (data) => prisma.accessToken.createMany({ data }),
);
await chunked(
  [
    ...teams.flatMap((teamId, team) =>
      Array.from({ length: shape.serversPerTeam }, (_, slot) => ({
        subjectType: "team" as const,
        subjectId: teamId,
        targetType: "server" as const,
        targetId: servers[(team * 7 + slot) % shape.servers] as string,
        toolMode: slot % 2 === 0 ? ("all" as const) : ("deny" as const),
        tools: slot % 2 === 0 ? [] : [`tool_${team % shape.toolsPerServer}`],
      })),
    ),
    ...Array.from({ length: shape.userGrants }, (_, grant) => ({
      subjectType: "user" as const,
      subjectId: users[grant % shape.users] as string,
      targetType: "server" as const,
      targetId: servers[(grant * 13) % shape.servers] as string,
      toolMode: "allow" as const,
      tools: [`tool_${grant % shape.toolsPerServer}`],
    })),
  ],
  (data) => prisma.grant.createMany({ data }),
);
const seedMs = performance.now() - seedStarted;

const adminToken = mintAccessToken();
const controlPlane = await startControlPlane(
  loadControlPlaneConfig({
    ...(await generateDeploymentKeys()),
    DATABASE_URL: databaseUrl,
    CONTROL_PLANE_PORT: "0",
    SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: adminToken,
  }),
  { bus: new InProcessBus(), logger: false },
);
await controlPlane.whenPolicyPublished();
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${controlPlane.url}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
  });
const changeStarted = performance.now();
await api("/teams", { method: "POST", body: JSON.stringify({ name: "One more" }) });
await controlPlane.whenPolicyPublished();
const compileMs = performance.now() - changeStarted;
const latest = (await (await api("/snapshots/latest")).json()) as { sizeBytes: number };

const explain = `/access/explain?principalType=user&principalId=${users[0]}&targetType=server&targetId=${servers[0]}&tool=tool_1`;
const firstStarted = performance.now();
await (await api(explain)).json();
const firstExplainMs = performance.now() - firstStarted;
const timings: number[] = [];
for (let call = 0; call < 200; call++) {
  const started = performance.now();
  await (await api(explain)).json();
  timings.push(performance.now() - started);
}
timings.sort((a, b) => a - b);
console.log(
  `seeded ${shape.users} users, ${shape.teams} teams, ${shape.servers} servers x ${shape.toolsPerServer} tools, ` +
    `${shape.tokens} tokens, ${shape.teams * shape.serversPerTeam + shape.userGrants} grants in ${(seedMs / 1000).toFixed(1)} s`,
);
console.log(
  `change -> compiled, signed, stored and published: ${compileMs.toFixed(0)} ms (includes the 100 ms coalescing window); ` +
    `envelope ${(latest.sizeBytes / 1e6).toFixed(1)} MB`,
);
console.log(
  `explain: first ${firstExplainMs.toFixed(0)} ms (verifies and indexes the snapshot), then p50 ${timings[100]?.toFixed(2)} ms, p99 ${timings[198]?.toFixed(2)} ms`,
);
await controlPlane.close();
await prisma.$disconnect();
