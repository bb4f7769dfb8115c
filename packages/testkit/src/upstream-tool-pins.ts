import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type PinnedTool, toolDefinitionDigest } from "@switchboard/snapshot";

/**
 * Approves every tool an upstream lists right now, the way the control plane's catalog does at
 * registration: each tool pinned to its definition's digest. For tests that sign snapshots by hand.
 */
export async function pinUpstreamTools(url: string, headers: Record<string, string> = {}): Promise<PinnedTool[]> {
  const client = new Client(
    { name: "switchboard-test-catalog", version: "0.1.0" },
    { capabilities: { sampling: {}, elicitation: {}, roots: {} } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  try {
    const pins: PinnedTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      for (const tool of page.tools) pins.push({ name: tool.name, sha256: toolDefinitionDigest(tool) });
      cursor = page.nextCursor;
    } while (cursor);
    return pins;
  } finally {
    await client.close();
  }
}
