import { randomBytes } from "node:crypto";
import { InProcessBus, NatsBus, type PolicyBus } from "@switchboard/bus";
import { createPrismaClient, type PrismaClient } from "@switchboard/database";
import {
  type DeploymentKeys,
  generateDeploymentKeys,
  mintAccessToken,
  parseTrustedSnapshotKeys,
  SnapshotVerifier,
  type VerifiedSnapshot,
} from "@switchboard/snapshot";
import { createTestDatabase, testNatsUrl } from "@switchboard/testkit";
import { loadControlPlaneConfig } from "../src/config/control-plane-config.js";
import { type RunningControlPlane, startControlPlane } from "../src/start-control-plane.js";

// biome-ignore lint/suspicious/noExplicitAny: the JSON of whichever route was called
export type ApiResponse = { status: number; headers: Headers; body: any };

type HarnessOptions = {
  /**
   * With NATS the control plane connects its own NatsBus, as the standalone process does, on a fleet
   * of its own; `bus` is then a second connection that sees what gateways see. Without, both share
   * an in-process bus: enough for tests of the REST layer.
   */
  nats?: boolean;
  /** Extra environment; a bootstrap admin token is configured unless this sets it to "". */
  env?: Record<string, string>;
};

/**
 * A control plane on a fresh migrated database, started through startControlPlane exactly as the
 * launchers start it, with an admin token and a way to look into the database the API hides.
 */
export class ControlPlaneHarness {
  controlPlane!: RunningControlPlane;

  private constructor(
    readonly keys: DeploymentKeys,
    /** The bus as gateways see it. */
    readonly bus: PolicyBus,
    private readonly sharesBus: boolean,
    readonly databaseUrl: string,
    readonly prisma: PrismaClient,
    readonly adminToken: string,
    private readonly env: Record<string, string>,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<ControlPlaneHarness> {
    const [keys, database] = await Promise.all([generateDeploymentKeys(), createTestDatabase()]);
    const adminToken = mintAccessToken();
    const fleet = `control-plane-test-${randomBytes(6).toString("hex")}`;
    const env = {
      ...keys,
      DATABASE_URL: database.url,
      CONTROL_PLANE_PORT: "0",
      SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN: adminToken,
      // Test upstreams listen on loopback.
      SWITCHBOARD_ALLOW_PRIVATE_UPSTREAMS: "true",
      ...(options.nats ? { NATS_URL: testNatsUrl(), SWITCHBOARD_FLEET: fleet } : {}),
      ...options.env,
    };
    const bus = options.nats
      ? await NatsBus.connect({ servers: testNatsUrl(), fleet, name: "control-plane-test-observer" })
      : new InProcessBus();
    const harness = new ControlPlaneHarness(
      keys,
      bus,
      !options.nats,
      database.url,
      createPrismaClient(database.url),
      adminToken,
      env,
      database.drop,
    );
    await harness.startControlPlane();
    return harness;
  }

  get url(): string {
    return this.controlPlane.url;
  }

  async startControlPlane(env: Record<string, string> = {}): Promise<RunningControlPlane> {
    this.controlPlane = await this.startReplica(env);
    return this.controlPlane;
  }

  /** Another control plane on the same database and bus; the caller closes it. */
  startReplica(env: Record<string, string> = {}): Promise<RunningControlPlane> {
    return startControlPlane(loadControlPlaneConfig({ ...this.env, ...env }), {
      ...(this.sharesBus ? { bus: this.bus } : {}),
      logger: false,
    });
  }

  /** Calls the admin API as the bootstrap admin, as someone else (a token), or anonymously (null). */
  async api(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = this.adminToken,
    baseUrl = this.url,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  /** Waits until every change made so far is published, then verifies what the bus holds with the trusted key. */
  async publishedSnapshot(): Promise<VerifiedSnapshot> {
    const version = await this.controlPlane.whenPolicyPublished();
    const envelope = await this.bus.latestSnapshot();
    if (!envelope) throw new Error("the bus holds no snapshot");
    const verifier = new SnapshotVerifier(parseTrustedSnapshotKeys(this.keys.SWITCHBOARD_SNAPSHOT_TRUSTED_KEYS));
    const verified = await verifier.verify(envelope, 0);
    if (verified.version < version) throw new Error(`the bus holds version ${verified.version}, expected ${version}`);
    return verified;
  }

  async close(): Promise<void> {
    await this.controlPlane?.close();
    await this.bus.close();
    await this.prisma.$disconnect();
    await this.dropDatabase();
  }
}
