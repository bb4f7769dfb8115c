import type { McpServer } from "@switchboard/database";
import type { VaultRecord } from "../credentials/credential-vault.js";

/** The vault binding of a server's header map: the ciphertext opens only on this row, for this use. */
export function serverHeadersBinding(serverId: string): string {
  return `mcp-server-headers:${serverId}`;
}

/** McpServer.authSecret: the vault record of the JSON header map, when the server authenticates with headers. */
export function serverHeadersRecord(server: Pick<McpServer, "authType" | "authSecret">): VaultRecord | null {
  return server.authType === "headers" ? (server.authSecret as VaultRecord) : null;
}
