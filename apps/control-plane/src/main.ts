import { ControlPlaneConfigError, loadControlPlaneConfig } from "./config/control-plane-config.js";
import { startControlPlane } from "./start-control-plane.js";

/** The control plane as its own process, against real Postgres and NATS. */
try {
  const config = loadControlPlaneConfig(process.env);
  if (!config.natsUrl)
    throw new ControlPlaneConfigError("invalid control-plane configuration:\n  NATS_URL: is required");
  const controlPlane = await startControlPlane(config);
  console.log(`Control plane listening on ${controlPlane.url}`);
  if (controlPlane.bootstrapAdminToken) console.log(`Admin token: ${controlPlane.bootstrapAdminToken}`);
  const stop = async () => {
    await controlPlane.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
} catch (error) {
  console.error(error instanceof ControlPlaneConfigError ? error.message : error);
  process.exit(1);
}
