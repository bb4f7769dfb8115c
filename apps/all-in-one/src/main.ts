import { resolve } from "node:path";
import { InProcessBus, NatsBus, type PolicyBus } from "@switchboard/bus";
import { loadControlPlaneConfig, startControlPlane } from "@switchboard/control-plane";
import { loadGatewayConfig, startGateway } from "@switchboard/gateway";
import { startLocalDatabase } from "./local-database.js";
import { loadOrCreateLocalSecrets } from "./local-secrets.js";

/**
 * `npm start`: the control plane and one gateway in one process, on embedded Postgres and an
 * in-process bus unless DATABASE_URL and NATS_URL point at real ones.
 */
const log = (line: string) => process.stdout.write(`${line}\n`);
const dataDir = resolve(process.env.SWITCHBOARD_DATA_DIR ?? ".switchboard");
const secrets = await loadOrCreateLocalSecrets(dataDir);
const database = await startLocalDatabase(dataDir, log);
const env: NodeJS.ProcessEnv = {
  ...secrets,
  SWITCHBOARD_SNAPSHOT_DIR: resolve(dataDir, "gateway"),
  // One machine, for trying Switchboard out: MCP servers on localhost are the common case.
  SWITCHBOARD_ALLOW_PRIVATE_UPSTREAMS: "true",
  ...process.env,
  DATABASE_URL: database.url,
};
const bus: PolicyBus = env.NATS_URL
  ? await NatsBus.connect({ servers: env.NATS_URL, fleet: env.SWITCHBOARD_FLEET ?? "default", name: "switchboard" })
  : new InProcessBus();

const controlPlane = await startControlPlane(loadControlPlaneConfig(env), { bus });
const gateway = await startGateway(loadGatewayConfig(env), { bus });

log(`Admin API: ${controlPlane.url}/api/v1`);
log(`Gateway: ${gateway.url}/mcp`);
log(`Admin token: ${env.SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await gateway.close();
  await controlPlane.close();
  await bus.close();
  await database.stop();
  process.exit(0);
}
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
