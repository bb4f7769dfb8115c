import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Prometheus metrics of one gateway; a registry per instance so several can share a process. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "switchboard_gateway_mcp_requests_total",
    help: "MCP requests by JSON-RPC method and outcome",
    labelNames: ["method", "outcome"] as const,
    registers: [this.registry],
  });
  readonly rejections = new Counter({
    name: "switchboard_gateway_http_rejections_total",
    help: "HTTP requests refused before an MCP method ran (bad input, auth, no snapshot...), by status",
    labelNames: ["status"] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: "switchboard_gateway_mcp_request_duration_seconds",
    help: "Time to answer an MCP request, upstream included",
    labelNames: ["method"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  readonly notificationStreams = new Gauge({
    name: "switchboard_gateway_notification_streams",
    help: "Open standalone notification streams (GET)",
    registers: [this.registry],
  });
  readonly snapshotVersion = new Gauge({
    name: "switchboard_gateway_snapshot_version",
    help: "Version of the policy snapshot in force (0 when none)",
    registers: [this.registry],
  });
}
