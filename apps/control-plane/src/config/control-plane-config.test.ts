import { generateDeploymentKeys } from "@switchboard/snapshot";
import { describe, expect, it } from "vitest";
import { ControlPlaneConfigError, loadControlPlaneConfig } from "./control-plane-config.js";

const keys = await generateDeploymentKeys();
const valid = { ...keys, DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/switchboard" };

function problemsOf(env: NodeJS.ProcessEnv, options?: { requireNatsUrl?: boolean }): string {
  try {
    loadControlPlaneConfig(env, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ControlPlaneConfigError);
    return (error as Error).message;
  }
  throw new Error("the configuration was accepted");
}

describe("loadControlPlaneConfig", () => {
  it("applies the defaults", () => {
    const config = loadControlPlaneConfig(valid);
    expect(config).toMatchObject({
      natsUrl: undefined,
      fleet: "default",
      host: "127.0.0.1",
      port: 4000,
      snapshotCoalesceMs: 100,
      bootstrapAdminToken: undefined,
    });
    expect(config.vaultKek).toHaveLength(32);
    expect(config.snapshotSigningKey.kid).toBe(JSON.parse(keys.SWITCHBOARD_SNAPSHOT_SIGNING_KEY).kid);
  });

  it("names every bad variable at once", () => {
    const message = problemsOf({
      SWITCHBOARD_SNAPSHOT_SIGNING_KEY: keys.SWITCHBOARD_DATA_PLANE_PUBLIC_KEY,
      SWITCHBOARD_DATA_PLANE_PUBLIC_KEY: "{not json",
      SWITCHBOARD_TOKEN_DIGEST_KEY: "c2hvcnQ=",
      SWITCHBOARD_VAULT_KEK: Buffer.alloc(16).toString("base64"),
      CONTROL_PLANE_PORT: "70000",
      SWITCHBOARD_FLEET: "no spaces",
      SWITCHBOARD_SNAPSHOT_COALESCE_MS: "soon",
      SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: "short",
    });
    for (const variable of [
      "DATABASE_URL: is required",
      "SWITCHBOARD_SNAPSHOT_SIGNING_KEY: crv must be",
      "SWITCHBOARD_DATA_PLANE_PUBLIC_KEY: the data-plane public key must be JSON",
      "SWITCHBOARD_TOKEN_DIGEST_KEY: must be at least 32 bytes",
      "SWITCHBOARD_VAULT_KEK: must be exactly 32 bytes",
      "CONTROL_PLANE_PORT: must be 0-65535",
      "SWITCHBOARD_FLEET:",
      "SWITCHBOARD_SNAPSHOT_COALESCE_MS: must be a number",
      "SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: must be at least 32 characters",
    ]) {
      expect(message).toContain(variable);
    }
    expect(message).not.toContain(JSON.parse(keys.SWITCHBOARD_DATA_PLANE_PRIVATE_KEY).d);
  });

  it("requires NATS_URL only when the caller has no bus of its own", () => {
    expect(problemsOf(valid, { requireNatsUrl: true })).toContain("NATS_URL: is required");
    expect(loadControlPlaneConfig({ ...valid, NATS_URL: "nats://a:4222,nats://b:4222" }).natsUrl).toBe(
      "nats://a:4222,nats://b:4222",
    );
  });

  it("treats empty variables as unset", () => {
    expect(
      loadControlPlaneConfig({ ...valid, CONTROL_PLANE_PORT: "", SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: "" }),
    ).toMatchObject({ port: 4000, bootstrapAdminToken: undefined });
  });
});
