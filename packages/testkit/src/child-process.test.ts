import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startNodeProcess } from "./child-process.js";

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "testkit-child-"));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function script(name: string, source: string): Promise<string> {
  const entry = join(directory, name);
  await writeFile(entry, source);
  return entry;
}

it("resolves once the output matches and passes only the given environment", async () => {
  const entry = await script(
    "ready.mjs",
    `console.log("env " + JSON.stringify(Object.keys(process.env).sort())); console.error("ready " + process.env.GREETING);
     setInterval(() => {}, 1000);`,
  );
  const running = await startNodeProcess({
    name: "ready",
    entry,
    env: { GREETING: "hello" },
    readyPattern: /ready hello/,
  });
  expect(running.output()).toContain(`env ${JSON.stringify(["GREETING", "HOME", "NODE_ENV", "PATH"])}`);
  await running.stop();
  expect(running.child.exitCode !== null || running.child.signalCode !== null).toBe(true);
  await running.stop();
});

it("rejects with the output when the child exits before it is ready", async () => {
  const entry = await script("crash.mjs", `console.error("boom"); process.exit(3);`);
  await expect(startNodeProcess({ name: "crash", entry, env: {}, readyPattern: /ready/ })).rejects.toThrow(
    /exited with 3[\s\S]*boom/,
  );
});

it("rejects with the output when the child is not ready in time", async () => {
  const entry = await script("slow.mjs", `console.log("starting"); setInterval(() => {}, 1000);`);
  await expect(
    startNodeProcess({ name: "slow", entry, env: {}, readyPattern: /ready/, timeoutMs: 500 }),
  ).rejects.toThrow(/not ready within 500 ms[\s\S]*starting/);
});
