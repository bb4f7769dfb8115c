import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, it } from "vitest";
import { startServerEverything } from "./server-everything.js";

it("starts server-everything over Streamable HTTP", async () => {
  const everything = await startServerEverything();
  const client = new Client({ name: "testkit-test", version: "1.0.0" });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(everything.url)));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("echo");
  } finally {
    await client.close();
    await everything.close();
  }
});
