import { hostname } from "node:os";
import { generateDeploymentKeys } from "@switchboard/snapshot";
import { beforeAll, describe, expect, it } from "vitest";
import { GatewayConfigError, loadGatewayConfig } from "./gateway-config.js";

let keys: Record<string, string>;

beforeAll(async () => {
  const generated = await generateDeploymentKeys();
  keys = {
    SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS: generated.SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS,
    SWITCHBOARD_DATA_PLANE_PRIVATE_KEY: generated.SWITCHBOARD_DATA_PLANE_PRIVATE_KEY,
    SWITCHBOARD_TOKEN_DIGEST_KEY: generated.SWITCHBOARD_TOKEN_DIGEST_KEY,
    SWITCHBOARD_SESSION_SECRET: generated.SWITCHBOARD_SESSION_SECRET,
  };
});

function problemsOf(env: Record<string, string>): string {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayConfigError);
    return (error as Error).message;
  }
  throw new Error("the configuration was accepted");
}

describe(loadGatewayConfig.name, () => {
  it("applies the documented defaults", () => {
    const config = loadGatewayConfig(keys);
    expect(config).toMatchObject({
      natsUrl: undefined,
      fleet: "default",
      host: "127.0.0.1",
      port: 8080,
      bodyLimitBytes: 1024 * 1024,
      upstreamTimeoutMs: 60_000,
      allowedOrigins: [],
      allowedHosts: [],
    });
    expect(config.gatewayId).toBe(`${hostname()}-${process.pid}`);
    expect(config.snapshotDir).toMatch(/\.switchboard\/gateway\/default$/);
    expect(config.tokenDigestKey).toEqual(Buffer.from(keys.SWITCHBOARD_TOKEN_DIGEST_KEY as string, "base64"));
  });

  it("reads every variable", () => {
    const config = loadGatewayConfig({
      ...keys,
      NATS_URL: "nats://nats:4222",
      SWITCHBOARD_FLEET: "eu-1",
      GATEWAY_HOST: "0.0.0.0",
      GATEWAY_PORT: "9000",
      GATEWAY_ID: "gw-a",
      SWITCHBOARD_SNAPSHOT_DIR: "/var/lib/switchboard",
      GATEWAY_BODY_LIMIT_BYTES: "2048",
      GATEWAY_UPSTREAM_TIMEOUT_MS: "1500",
      GATEWAY_ALLOWED_ORIGINS: "https://app.example.com, http://localhost:3000",
      GATEWAY_ALLOWED_HOSTS: "mcp.example.com",
    });
    expect(config).toMatchObject({
      natsUrl: "nats://nats:4222",
      fleet: "eu-1",
      host: "0.0.0.0",
      port: 9000,
      gatewayId: "gw-a",
      snapshotDir: "/var/lib/switchboard",
      bodyLimitBytes: 2048,
      upstreamTimeoutMs: 1500,
      allowedOrigins: ["https://app.example.com", "http://localhost:3000"],
      allowedHosts: ["mcp.example.com"],
    });
  });

  it("names every missing secret at once", () => {
    const message = problemsOf({});
    for (const name of Object.keys(keys)) expect(message).toContain(`${name}: is required`);
  });

  it("treats an empty variable as unset rather than as zero", () => {
    expect(loadGatewayConfig({ ...keys, GATEWAY_PORT: "", GATEWAY_UPSTREAM_TIMEOUT_MS: " " })).toMatchObject({
      port: 8080,
      upstreamTimeoutMs: 60_000,
    });
  });

  it.each([
    ["GATEWAY_PORT", "http", "must be a whole number from 0 to 65535"],
    ["GATEWAY_PORT", "70000", "must be a whole number from 0 to 65535"],
    ["GATEWAY_BODY_LIMIT_BYTES", "-1", "must be a whole number, at least 1"],
    ["GATEWAY_UPSTREAM_TIMEOUT_MS", "1.5", "must be a whole number, at least 1"],
    ["SWITCHBOARD_FLEET", "a b", "letters, digits, - and _ only"],
    ["GATEWAY_ID", "gw/1", "letters, digits"],
    ["SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS", "not json", "SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS:"],
    ["SWITCHBOARD_DATA_PLANE_PRIVATE_KEY", "not json", "the data-plane private key must be JSON"],
    ["SWITCHBOARD_DATA_PLANE_PRIVATE_KEY", "[]", "must be a private X25519 JWK object"],
    ["SWITCHBOARD_TOKEN_DIGEST_KEY", "c2hvcnQ=", "must be at least 32 bytes"],
    ["SWITCHBOARD_TOKEN_DIGEST_KEY", "not base64!", "must be base64"],
    ["SWITCHBOARD_SESSION_SECRET", "c2hvcnQ=", "must be at least 32 bytes"],
    ["GATEWAY_ALLOWED_ORIGINS", "app.example.com", "must be comma-separated origins"],
    ["GATEWAY_ALLOWED_ORIGINS", "https://app.example.com/path", "must be comma-separated origins"],
    ["GATEWAY_ALLOWED_HOSTS", "https://mcp.example.com", "must be comma-separated host names"],
  ])("refuses %s=%j, saying why", (name, value, reason) => {
    const message = problemsOf({ ...keys, [name]: value });
    expect(message).toContain(`${name}`);
    expect(message).toContain(reason);
  });
});
