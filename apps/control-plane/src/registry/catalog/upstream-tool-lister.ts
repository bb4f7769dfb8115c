import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { z } from "zod";

const MAX_PAGES = 100;
const LIST_TIMEOUT_MS = 15_000;

/** The raw answer, tools kept exactly as the upstream sent them: their digests must match the gateway's. */
const RawToolsPage = z.looseObject({
  tools: z.array(z.looseObject({ name: z.string().min(1) })),
  nextCursor: z.string().optional(),
});

export type RawTool = { name: string; [field: string]: unknown };

/**
 * Lists every tool an upstream offers, following every page, with the SDK's client over the given
 * (SSRF-guarded) fetch and the server's own headers. The client declares sampling, elicitation and
 * roots so tools offered only to such clients are catalogued too.
 */
export async function listUpstreamTools(url: string, headers: Record<string, string>, fetch: FetchLike) {
  const client = new Client(
    { name: "switchboard-control-plane", version: "0.1.0" },
    { capabilities: { sampling: {}, elicitation: {}, roots: {} } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch, requestInit: { headers } }), {
    timeout: LIST_TIMEOUT_MS,
  });
  try {
    const tools: RawTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await client.request({ method: "tools/list", params: cursor ? { cursor } : {} }, RawToolsPage, {
        timeout: LIST_TIMEOUT_MS,
      });
      tools.push(...(answer.tools as RawTool[]));
      if (!answer.nextCursor) break;
      cursor = answer.nextCursor;
    }
    return tools;
  } finally {
    await client.close().catch(() => {});
  }
}
