import { GatewayConfigError, loadGatewayConfig } from "./config/gateway-config.js";
import { startGateway } from "./start-gateway.js";

/** The gateway as its own process; run as many as needed behind any load balancer. */
try {
  const gateway = await startGateway(loadGatewayConfig(process.env));
  console.log(`Gateway listening on ${gateway.url}/mcp`);
  let stopping = false;
  const stop = async () => {
    // A second signal while draining means "now": leave without waiting for open requests.
    if (stopping) process.exit(1);
    stopping = true;
    try {
      await gateway.close();
      process.exit(0);
    } catch (error) {
      console.error("gateway did not shut down cleanly:", error);
      process.exit(1);
    }
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} catch (error) {
  console.error(error instanceof GatewayConfigError ? error.message : error);
  process.exit(1);
}
