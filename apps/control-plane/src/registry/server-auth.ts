import type { VaultRecord } from "../credentials/credential-vault.js";

/** What McpServer.authSecret holds: header names in clear (not secret), values in the vault. */
export type StoredServerAuth = { headerNames: string[]; headers: VaultRecord };

export function serverHeadersBinding(serverId: string): string {
  return `mcp-server-headers:${serverId}`;
}
