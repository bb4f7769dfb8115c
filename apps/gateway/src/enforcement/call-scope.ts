import type { Principal } from "@switchboard/snapshot";
import type { ActivePolicy } from "../snapshot/active-policy.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";

/** What one MCP request may reach: every server the principal holds a grant on, or one of them. */
export type CallScope = {
  policy: ActivePolicy;
  principal: Principal;
  /** Set on `/mcp/{slug}`: tools keep their upstream names. */
  single: UpstreamTarget | undefined;
  /** The client capabilities the agent declared in its session; upstream sessions present these. */
  clientCapabilities: Record<string, unknown>;
};
