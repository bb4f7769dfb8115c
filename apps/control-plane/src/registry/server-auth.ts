import type { McpServer } from "@switchboard/database";
import type { VaultRecord } from "../credentials/credential-vault.js";

/** What McpServer.authSecret holds: header names in clear (not secret), values in the vault. */
export type StoredServerAuth = { headerNames: string[]; headers: VaultRecord };

/** The vault binding of a server's header map: the ciphertext opens only on this row, for this use. */
export function serverHeadersBinding(serverId: string): string {
  return `mcp-server-headers:${serverId}`;
}

export function storedServerAuth(server: Pick<McpServer, "authType" | "authSecret">): StoredServerAuth | null {
  return server.authType === "headers" ? (server.authSecret as StoredServerAuth) : null;
}
