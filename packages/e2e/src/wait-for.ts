/** Polls until the check passes; returns the elapsed milliseconds. Never a fixed sleep. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function readiness(gatewayUrl: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gatewayUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
