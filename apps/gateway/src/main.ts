import { GatewayConfigError, loadGatewayConfig } from "./config/gateway-config.js";
import { startGateway } from "./start-gateway.js";

/** The gateway as its own process; run as many as needed behind any load balancer. */
try {
  const config = loadGatewayConfig(process.env);
  if (!config.natsUrl) throw new GatewayConfigError("invalid gateway configuration:\n  NATS_URL: is required");
  const gateway = await startGateway(config);
  console.log(`Gateway listening on ${gateway.url}/mcp`);
  const stop = async () => {
    await gateway.close();
    process.exit(0);
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
} catch (error) {
  console.error(error instanceof GatewayConfigError ? error.message : error);
  process.exit(1);
}
