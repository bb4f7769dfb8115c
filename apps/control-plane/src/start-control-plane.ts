import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { FastifyAdapter, type NestFastifyApplication } from "@nestjs/platform-fastify";
import { NatsBus, type PolicyBus } from "@switchboard/bus";
import { AppModule } from "./app.module.js";
import { withActorSlot } from "./common/request-actor.js";
import type { ControlPlaneConfig } from "./config/control-plane-config.js";
import { mountOpenApi } from "./docs/openapi.js";
import { BootstrapAdmin } from "./identity/bootstrap-admin.js";
import { SnapshotPublisher } from "./snapshots/snapshot-publisher.js";

export type StartControlPlaneOptions = {
  /** The bus to publish on; when absent a NatsBus is connected from config.natsUrl and closed with the app. */
  bus?: PolicyBus;
  /** false silences Nest's log (tests); otherwise log, warn and error lines go to stdout. */
  logger?: boolean;
};

export type RunningControlPlane = {
  /** Base URL, e.g. http://127.0.0.1:4000 (the API is under /api/v1). */
  url: string;
  /** Set when this start minted the bootstrap admin token: show it once. */
  bootstrapAdminToken?: string;
  /** Resolves with the version of a published snapshot that holds every change committed so far. */
  whenPolicyPublished(): Promise<number>;
  /** Stops serving, publishes what the last requests changed, and releases the database (and its own bus). */
  close(): Promise<void>;
};

const BODY_LIMIT_BYTES = 1024 * 1024;

function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

export async function startControlPlane(
  config: ControlPlaneConfig,
  options: StartControlPlaneOptions = {},
): Promise<RunningControlPlane> {
  let ownBus: NatsBus | undefined;
  if (!options.bus) {
    if (!config.natsUrl) throw new Error("NATS_URL is required when no bus is given");
    ownBus = await NatsBus.connect({ servers: config.natsUrl, fleet: config.fleet, name: "control-plane" });
  }
  const bus = options.bus ?? (ownBus as PolicyBus);
  let app: NestFastifyApplication | undefined;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.register(config, bus),
      new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
      { logger: options.logger === false ? false : ["log", "warn", "error"], abortOnError: false },
    );
    // The API speaks JSON only: any other body is a 415, not a string handed to validation.
    app.getHttpAdapter().getInstance().removeContentTypeParser("text/plain");
    // Each request gets its own actor slot, filled by the auth guard and read by the audit log.
    app
      .getHttpAdapter()
      .getInstance()
      .addHook("onRequest", (_request, _reply, done) => withActorSlot(done));
    app.setGlobalPrefix("api/v1");
    mountOpenApi(app);
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app?.close().catch(() => {});
    await ownBus?.close();
    throw error;
  }
  const running = app;
  const address = running.getHttpServer().address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const publisher = running.get(SnapshotPublisher);
  return {
    url: `http://${hostForUrl(config.host)}:${port}`,
    bootstrapAdminToken: running.get(BootstrapAdmin).generatedToken,
    whenPolicyPublished: () => publisher.whenCurrent(),
    close: async () => {
      await running.close();
      await ownBus?.close();
    },
  };
}
