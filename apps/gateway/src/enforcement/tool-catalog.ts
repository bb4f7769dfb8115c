import { type Principal, toolDefinitionDigest } from "@switchboard/snapshot";
import { capabilitiesKey } from "../upstream/capabilities-key.js";
import type { BoundUpstreamSession, UpstreamClient } from "../upstream/upstream-client.js";
import { UpstreamError } from "../upstream/upstream-error.js";
import type { UpstreamTarget } from "../upstream/upstream-target.js";
import { principalKey } from "./call-scope.js";

export type UpstreamTool = { name: string; [field: string]: unknown };

const MAX_PAGES = 100;
/**
 * How long a listing answers calls without asking the upstream again. It bounds how long a tool
 * changed upstream (a "rug pull") can still be called before its new digest is noticed, even when
 * the upstream never says its list changed.
 */
const LISTING_TTL_MS = 30_000;

type Listing = { tools: UpstreamTool[]; listedAtMs: number };

/**
 * The tools each upstream offers (which may depend on the client capabilities presented), fetched
 * through the caller's upstream session (following every page) and remembered per server for the
 * snapshot in force, so a call can tell a real tool from one that does not exist without asking the
 * upstream each time. Entries hang off the snapshot's upstream targets: a new snapshot starts empty,
 * and a listing still in flight from the previous one cannot land in the new one's cache.
 */
export class ToolCatalog {
  private readonly known = new WeakMap<UpstreamTarget, Map<string, Listing>>();
  private readonly digests = new WeakMap<UpstreamTool, string>();

  constructor(private readonly upstreams: UpstreamClient) {}

  async list(
    principal: Principal,
    target: UpstreamTarget,
    clientCapabilities: Record<string, unknown>,
    bound?: BoundUpstreamSession,
  ): Promise<UpstreamTool[]> {
    const tools: UpstreamTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.upstreams.request(
        principalKey(principal),
        target,
        "tools/list",
        cursor ? { cursor } : {},
        { clientCapabilities, bound },
      );
      const result = answer.result as { tools?: unknown; nextCursor?: unknown } | undefined;
      if (!result || !Array.isArray(result.tools)) throw new UpstreamError("protocol", "tools/list failed upstream");
      for (const tool of result.tools) {
        if (typeof tool === "object" && tool !== null && typeof (tool as UpstreamTool).name === "string") {
          tools.push(tool as UpstreamTool);
        }
      }
      if (typeof result.nextCursor !== "string" || !result.nextCursor) break;
      cursor = result.nextCursor;
    }
    let byCapabilities = this.known.get(target);
    if (!byCapabilities) {
      byCapabilities = new Map();
      this.known.set(target, byCapabilities);
    }
    byCapabilities.set(capabilitiesKey(clientCapabilities), { tools, listedAtMs: Date.now() });
    return tools;
  }

  async find(
    principal: Principal,
    target: UpstreamTarget,
    clientCapabilities: Record<string, unknown>,
    predicate: (tool: UpstreamTool) => boolean,
    bound?: BoundUpstreamSession,
  ) {
    const listing = this.known.get(target)?.get(capabilitiesKey(clientCapabilities));
    const cached =
      listing && Date.now() - listing.listedAtMs < LISTING_TTL_MS ? listing.tools.find(predicate) : undefined;
    if (cached) return cached;
    return (await this.list(principal, target, clientCapabilities, bound)).find(predicate);
  }

  /** Forgets a server's listings, e.g. when it says its tool list changed. */
  forget(target: UpstreamTarget): void {
    this.known.delete(target);
  }

  /** The sha256 of the tool's canonical definition, computed once per listed tool object. */
  digestOf(tool: UpstreamTool): string {
    let digest = this.digests.get(tool);
    if (digest === undefined) {
      digest = toolDefinitionDigest(tool);
      this.digests.set(tool, digest);
    }
    return digest;
  }
}
