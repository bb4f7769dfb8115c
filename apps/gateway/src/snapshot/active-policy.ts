import {
  buildPolicyIndex,
  type DataPlaneUnsealer,
  type PolicyIndex,
  type VerifiedSnapshot,
} from "@switchboard/snapshot";
import type { UpstreamTarget } from "../upstream/upstream-target.js";

/** The snapshot in force with everything derived from it, built once and swapped in whole. */
export type ActivePolicy = {
  index: PolicyIndex;
  upstreams: Map<string, UpstreamTarget>;
  /** The verified envelope, to recognise a re-delivery of the snapshot in force. */
  envelope: Uint8Array;
};

/** Builds the indexes and opens the sealed upstream headers, off the hot path. */
export async function buildActivePolicy(
  verified: VerifiedSnapshot,
  unsealer: DataPlaneUnsealer,
): Promise<ActivePolicy> {
  const index = buildPolicyIndex(verified.snapshot, verified.sha256);
  const upstreams = new Map<string, UpstreamTarget>();
  for (const server of verified.snapshot.servers) {
    const url = new URL(server.url);
    const headers =
      server.auth.type === "headers"
        ? (JSON.parse(Buffer.from(await unsealer.unseal(server.auth.sealedHeaders)).toString("utf8")) as Record<
            string,
            string
          >)
        : {};
    upstreams.set(server.id, {
      serverId: server.id,
      slug: server.slug,
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
    });
  }
  return { index, upstreams, envelope: verified.envelope };
}
