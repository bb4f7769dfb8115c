/** A thin client of the control plane's REST API for tests: throws on any non-2xx answer. */
export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  createUser(email: string, name: string) {
    return this.request<{ id: string }>("POST", "/users", { email, name });
  }

  createToken(userId: string, name: string) {
    return this.request<{ id: string; token: string }>("POST", `/users/${userId}/tokens`, { name });
  }

  revokeToken(tokenId: string) {
    return this.request<void>("DELETE", `/tokens/${tokenId}`);
  }

  createServer(body: { name: string; slug: string; url: string; auth?: unknown }) {
    return this.request<{ id: string }>("POST", "/servers", body);
  }

  /** A user's grant on a server: every tool, or only the listed ones. */
  createGrant(userId: string, serverId: string, tools?: string[]) {
    return this.grant(
      { type: "user", id: userId },
      { type: "server", id: serverId },
      tools && { mode: "allow", names: tools },
    );
  }

  grant(
    subject: { type: "user" | "team" | "virtual-account"; id: string },
    target: { type: "server" | "virtual-server"; id: string },
    tools?: { mode: "all" | "allow" | "deny"; names?: string[] },
  ) {
    return this.request<{ id: string }>("POST", "/grants", { subject, target, ...(tools ? { tools } : {}) });
  }
}
