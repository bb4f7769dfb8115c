import { startBareProxy } from "./bare-proxy.js";
import { startFastUpstream } from "./fast-upstream.js";
import { startGatewayUnderTest } from "./gateway-under-test.js";
import { activateLargePolicy } from "./policy-scale.js";
import { startSdkProxy } from "./sdk-proxy.js";

/**
 * Child-process entry: each benchmark target runs in its own process, as in production, so the
 * load generator does not share an event loop with what it measures. Prints one JSON line when up.
 */
const [role, portArgument, target] = process.argv.slice(2);
const port = Number(portArgument);

switch (role) {
  case "upstream":
    await startFastUpstream(port);
    console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/mcp` }));
    break;
  case "bare-proxy":
    await startBareProxy(port, String(target));
    console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/mcp` }));
    break;
  case "sdk-proxy":
    await startSdkProxy(port, String(target));
    console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/mcp` }));
    break;
  case "gateway": {
    const gateway = await startGatewayUnderTest(port, String(target));
    console.log(JSON.stringify({ ...gateway, url: `${gateway.url}/mcp/fast` }));
    break;
  }
  case "large-policy-gateway":
    console.log(JSON.stringify(await activateLargePolicy(String(portArgument))));
    process.exit(0);
    break;
  default:
    console.error(`unknown role ${role}`);
    process.exit(2);
}

// Exit through Node's own path on SIGTERM, so a requested CPU profile gets written.
process.once("SIGTERM", () => process.exit(0));
