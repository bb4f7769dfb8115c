import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { FastifyAdapter, type NestFastifyApplication } from "@nestjs/platform-fastify";
import { NatsBus, type PolicyBus } from "@switchboard/bus";
import { AppModule } from "./app.module.js";
import type { ControlPlaneConfig } from "./config/control-plane-config.js";
import { mountOpenApi } from "./docs/openapi.js";
import { BootstrapAdmin } from "./identity/bootstrap-admin.js";

export type RunningControlPlane = {
  /** Base URL, e.g. http://127.0.0.1:4000 (the API is under /api/v1). */
  url: string;
  /** Set when this start minted the bootstrap admin token: show it once. */
  bootstrapAdminToken?: string;
  close(): Promise<void>;
};

const BODY_LIMIT_BYTES = 1024 * 1024;

export async function startControlPlane(
  config: ControlPlaneConfig,
  options: { bus?: PolicyBus; logger?: boolean } = {},
): Promise<RunningControlPlane> {
  const ownsBus = !options.bus;
  if (ownsBus && !config.natsUrl) throw new Error("NATS_URL is required when no bus is given");
  const bus =
    options.bus ??
    (await NatsBus.connect({ servers: config.natsUrl as string, fleet: config.fleet, name: "control-plane" }));
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, bus), adapter, {
    logger: options.logger === false ? false : ["log", "warn", "error"],
  });
  app.setGlobalPrefix("api/v1", { exclude: ["api/docs", "api/openapi.json"] });
  app.enableShutdownHooks();
  mountOpenApi(app);
  await app.listen({ host: config.host, port: config.port });
  const address = app.getHttpServer().address();
  const port = typeof address === "object" && address ? address.port : config.port;
  return {
    url: `http://${config.host}:${port}`,
    bootstrapAdminToken: app.get(BootstrapAdmin).generatedToken,
    close: async () => {
      await app.close();
      if (ownsBus) await bus.close();
    },
  };
}
