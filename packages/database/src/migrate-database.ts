import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * Applies the migrations in prisma/migrations with `prisma migrate deploy` (Prisma's JavaScript
 * schema engine over the pg adapter, see prisma.config.ts). Idempotent: applied ones are skipped.
 */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const prismaPackage = createRequire(import.meta.url).resolve("prisma/package.json");
  const cli = join(dirname(prismaPackage), "build/index.js");
  const child = spawn(process.execPath, [cli, "migrate", "deploy", "--config", join(repoRoot, "prisma.config.ts")], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`database migration failed:\n${output.replaceAll(databaseUrl, "<database url>")}`);
}
