/** Everything needed to call one upstream server, prepared at snapshot activation. */
export type UpstreamTarget = {
  serverId: string;
  slug: string;
  origin: string;
  path: string;
  /** The server's configured headers, unsealed once at activation; never the agent's. */
  headers: Record<string, string>;
};
