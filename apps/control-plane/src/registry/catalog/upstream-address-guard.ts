import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";

/**
 * Addresses the control plane never connects to on an admin's behalf unless explicitly allowed:
 * loopback, private, shared, link-local (cloud metadata at 169.254.169.254), multicast and
 * reserved ranges, in IPv4 and IPv6 (IPv4-mapped IPv6 addresses are checked as IPv4).
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv6");
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? "ipv4" : "ipv6");
}

export class UpstreamAddressRefused extends Error {
  override name = "UpstreamAddressRefused";
}

/** The global fetch's shape (what MCP clients take); undici's own fetch types differ only nominally. */
export type GuardedFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * A fetch for upstream URLs that refuses private addresses. Names are checked where the socket
 * connects (the lookup the connection uses is the one checked), so DNS rebinding between a check
 * and the connect cannot slip through; IP literals, which skip the lookup, are checked up front.
 */
export function guardedFetch(allowPrivate: boolean): GuardedFetch {
  if (allowPrivate) return undiciFetch as unknown as GuardedFetch;
  const dispatcher = new Agent({
    connect: {
      lookup: (hostname, options, callback) => {
        dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
          if (error) return callback(error, "", 0);
          const list = addresses as LookupAddress[];
          const refused = list.find((entry) => isPrivateAddress(entry.address));
          if (refused) {
            return callback(new UpstreamAddressRefused(`${hostname} resolves to ${refused.address}`), "", 0);
          }
          const first = list[0] as LookupAddress;
          callback(null, first.address, first.family);
        });
      },
    },
  });
  return (url, init) => {
    const hostname = new URL(url).hostname.replace(/^\[|\]$/g, "");
    if (isIP(hostname) && isPrivateAddress(hostname)) {
      return Promise.reject(new UpstreamAddressRefused(`${hostname} is a private address`));
    }
    return undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
  };
}

/** Resolves a URL's host now, for a clear error at registration; the connect-time check still applies. */
export async function checkUpstreamUrl(url: string, allowPrivate: boolean): Promise<string | undefined> {
  if (allowPrivate) return undefined;
  const hostname = new URL(url).hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(hostname)
    ? [{ address: hostname }]
    : await new Promise<LookupAddress[]>((resolve) =>
        dnsLookup(hostname, { all: true }, (error, found) => resolve(error ? [] : found)),
      );
  const refused = addresses.find((entry) => isPrivateAddress(entry.address));
  return refused && `resolves to the private address ${refused.address}`;
}
