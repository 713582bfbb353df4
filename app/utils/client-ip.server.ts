import { isIP } from "node:net";
import { env } from "./env.server";

/**
 * The header server.js sets on every request from the connection's own address, after removing any a client
 * sent: Remix's Request has no socket, and a client must not be able to choose its own address.
 */
export const SOCKET_ADDRESS_HEADER = "x-borikan-socket-address";

/**
 * The client's network address, for per-address limits. By default the address of the connection. Behind
 * reverse proxies, `TRUST_PROXY` = how many of them append to X-Forwarded-For: the address that many hops
 * before the connection (the left-most address not written by a trusted proxy) is the client's. IPv6
 * addresses count by their /64 network, which one subscriber usually holds whole.
 */
export function clientIp(request: Request): string {
  const socket = request.headers.get(SOCKET_ADDRESS_HEADER) ?? "";
  const forwarded = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  return addressKey(clientAddress(socket, forwarded, env().TRUST_PROXY));
}

/** The hop `trustedHops` before the socket in the chain `X-Forwarded-For…, socket` (the first one at most). */
export function clientAddress(socket: string, forwardedFor: readonly string[], trustedHops: number): string {
  const chain = [...forwardedFor, socket];
  return chain[Math.max(0, chain.length - 1 - trustedHops)] ?? "";
}

/** A stable key for an address: IPv4 as is (also when IPv6-mapped), IPv6 as its /64; anything else "unknown". */
export function addressKey(address: string): string {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1];
  const version = isIP(bare);
  if (version === 4) return bare;
  if (version === 6) return `${expandIpv6(bare).slice(0, 4).join(":")}::/64`;
  return "unknown";
}

function expandIpv6(address: string): string[] {
  const [head, tail] = address.toLowerCase().split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) takes two groups.
  const groups = [...left, ...right].reduce((n, group) => n + (group.includes(".") ? 2 : 1), 0);
  const missing = tail === undefined ? 0 : 8 - groups;
  return [...left, ...Array.from({ length: missing }, () => "0"), ...right].map((group) => group.replace(/^0+(?=.)/, ""));
}
