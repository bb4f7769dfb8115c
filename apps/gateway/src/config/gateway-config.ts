import { hostname } from "node:os";
import { resolve } from "node:path";
import {
  type DataPlaneSealingJwk,
  DEFAULT_TOOL_NAME_SEPARATOR,
  isValidToolNameSeparator,
  parseTrustedSnapshotKeys,
  type SnapshotPublicJwk,
} from "@switchboard/snapshot";
import { z } from "zod";

export type GatewayConfig = {
  natsUrl: string | undefined;
  fleet: string;
  host: string;
  port: number;
  gatewayId: string;
  trustedKeys: SnapshotPublicJwk[];
  dataPlanePrivateKey: DataPlaneSealingJwk;
  tokenDigestKey: Buffer;
  sessionSecret: Buffer;
  sessionMaxAgeMs: number;
  snapshotDir: string;
  bodyLimitBytes: number;
  upstreamTimeoutMs: number;
  /** How long a shutdown waits for requests in flight before closing the connections left. */
  shutdownGraceMs: number;
  /** Between a server's slug and a tool or prompt name on the aggregate endpoint. */
  toolNameSeparator: string;
  /** How often the gateway tells the control plane which tokens it saw in use. */
  usageReportMs: number;
  allowedOrigins: string[];
  allowedHosts: string[];
};

const required = { message: "is required" };

const jsonText = (what: string) =>
  z.string(required).transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: `${what} must be JSON` });
      return z.NEVER;
    }
  });

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) => {
  const message =
    max === Number.MAX_SAFE_INTEGER
      ? `must be a whole number, at least ${min}`
      : `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((value) => Number.isSafeInteger(value) && value >= min && value <= max, message);
};

const secretKey = z
  .string(required)
  .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, "must be base64")
  .transform((text) => Buffer.from(text, "base64"))
  .refine((key) => key.length >= 32, "must be at least 32 bytes, base64-encoded");

/** Browsers send an Origin as scheme://host[:port], nothing more; list entries must look the same. */
const originList = z
  .string()
  .transform(commaList)
  .refine((origins) => origins.every(isOrigin), "must be comma-separated origins such as https://app.example.com");

const hostList = z
  .string()
  .transform(commaList)
  .refine(
    (hosts) => hosts.every((host) => /^([A-Za-z0-9-]+\.)*[A-Za-z0-9-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(host)),
    "must be comma-separated host names without scheme or port",
  );

const EnvSchema = z.object({
  NATS_URL: z.string().optional(),
  SWITCHBOARD_FLEET: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _ only")
    .default("default"),
  GATEWAY_HOST: z.string().default("127.0.0.1"),
  GATEWAY_PORT: wholeNumber(0, 65_535).default(8080),
  // The control plane's fleet table keeps only ids of this shape.
  GATEWAY_ID: z
    .string()
    .regex(/^[\w.:-]{1,128}$/, "letters, digits, _ . : and - only, at most 128")
    .optional(),
  SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS: z.string(required).transform((text, context) => {
    try {
      return parseTrustedSnapshotKeys(text);
    } catch (error) {
      context.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  }),
  SWITCHBOARD_DATA_PLANE_PRIVATE_KEY: jsonText("the data-plane private key").pipe(
    z.object(
      { kty: z.literal("OKP"), crv: z.literal("X25519"), d: z.string(), x: z.string(), kid: z.string() },
      { message: "must be a private X25519 JWK object" },
    ),
  ),
  SWITCHBOARD_TOKEN_DIGEST_KEY: secretKey,
  SWITCHBOARD_SESSION_SECRET: secretKey,
  GATEWAY_SESSION_MAX_AGE_SECONDS: wholeNumber(1).default(24 * 60 * 60),
  SWITCHBOARD_SNAPSHOT_DIR: z.string().optional(),
  GATEWAY_BODY_LIMIT_BYTES: wholeNumber(1).default(1024 * 1024),
  GATEWAY_UPSTREAM_TIMEOUT_MS: wholeNumber(1).default(60_000),
  GATEWAY_SHUTDOWN_GRACE_MS: wholeNumber(0).default(10_000),
  GATEWAY_USAGE_REPORT_MS: wholeNumber(100).default(10_000),
  GATEWAY_TOOL_NAME_SEPARATOR: z
    .string()
    .refine(isValidToolNameSeparator, {
      message: "must be 1 to 4 of [A-Za-z0-9_-] including `_` or an upper-case letter (slugs hold neither)",
    })
    .default(DEFAULT_TOOL_NAME_SEPARATOR),
  GATEWAY_ALLOWED_ORIGINS: originList.default([]),
  GATEWAY_ALLOWED_HOSTS: hostList.default([]),
});

export class GatewayConfigError extends Error {
  override name = "GatewayConfigError";
}

/**
 * Reads the gateway's configuration from the environment; every bad variable is named at once. An
 * empty variable counts as unset (a blank `GATEWAY_PORT=` must not mean "any port").
 */
export function loadGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value?.trim()));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new GatewayConfigError(`invalid gateway configuration:\n${problems.join("\n")}`);
  }
  const values = parsed.data;
  return {
    natsUrl: values.NATS_URL,
    fleet: values.SWITCHBOARD_FLEET,
    host: values.GATEWAY_HOST,
    port: values.GATEWAY_PORT,
    gatewayId: values.GATEWAY_ID ?? `${hostname()}-${process.pid}`,
    trustedKeys: values.SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS,
    dataPlanePrivateKey: values.SWITCHBOARD_DATA_PLANE_PRIVATE_KEY,
    tokenDigestKey: values.SWITCHBOARD_TOKEN_DIGEST_KEY,
    sessionSecret: values.SWITCHBOARD_SESSION_SECRET,
    sessionMaxAgeMs: values.GATEWAY_SESSION_MAX_AGE_SECONDS * 1000,
    snapshotDir: resolve(values.SWITCHBOARD_SNAPSHOT_DIR ?? `.switchboard/gateway/${values.SWITCHBOARD_FLEET}`),
    bodyLimitBytes: values.GATEWAY_BODY_LIMIT_BYTES,
    upstreamTimeoutMs: values.GATEWAY_UPSTREAM_TIMEOUT_MS,
    shutdownGraceMs: values.GATEWAY_SHUTDOWN_GRACE_MS,
    usageReportMs: values.GATEWAY_USAGE_REPORT_MS,
    toolNameSeparator: values.GATEWAY_TOOL_NAME_SEPARATOR,
    allowedOrigins: values.GATEWAY_ALLOWED_ORIGINS,
    allowedHosts: values.GATEWAY_ALLOWED_HOSTS,
  };
}

function commaList(value: string): string[] {
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

function isOrigin(entry: string): boolean {
  try {
    return new URL(entry).origin === entry;
  } catch {
    return false;
  }
}
