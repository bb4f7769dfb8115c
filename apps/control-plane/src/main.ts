import { ControlPlaneConfigError, loadControlPlaneConfig } from "./config/control-plane-config.js";
import { startControlPlane } from "./start-control-plane.js";

/** The control plane as its own process, against real Postgres and NATS. */
let config: ReturnType<typeof loadControlPlaneConfig>;
try {
  config = loadControlPlaneConfig(process.env, { requireNatsUrl: true });
} catch (error) {
  console.error(error instanceof ControlPlaneConfigError ? error.message : error);
  process.exit(1);
}

const controlPlane = await startControlPlane(config).catch((error: unknown) => {
  console.error("the control plane did not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
console.log(`Control plane listening on ${controlPlane.url}`);
if (controlPlane.bootstrapAdminToken) console.log(`Admin token: ${controlPlane.bootstrapAdminToken}`);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the control plane`);
  try {
    await controlPlane.close();
    process.exit(0);
  } catch (error) {
    console.error("the control plane did not stop cleanly:", error);
    process.exit(1);
  }
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
