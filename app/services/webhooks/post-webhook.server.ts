import dns, { type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { bodyExcerpt, isLoopbackHost, isPrivateAddress, type AttemptResult } from "~/core/webhooks/webhook-rules";

export const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_READ_BYTES = 4096;

/** Private and link-local addresses are refused for https endpoints in production, allowed in tests or by setting. */
export function privateAddressesAllowed(): boolean {
  return process.env.NODE_ENV === "test" || process.env.WEBHOOK_ALLOW_PRIVATE === "1";
}

export class PrivateAddressError extends Error {}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that refuses a host resolving to a private address (checked on the address actually connected to). */
function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, options, (error, address, family) => {
    if (error) return callback(error, "");
    const list: LookupAddress[] = Array.isArray(address) ? address : [{ address, family: family ?? 4 }];
    if (list.some((a) => isPrivateAddress(a.address))) return callback(new PrivateAddressError(`${hostname} resolves to a private address`), "");
    callback(null, address, family);
  });
}

/** The addresses `hostname` resolves to (an IP literal is itself). */
export async function resolveHost(hostname: string): Promise<string[]> {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(bare)) return [bare];
  return (await dns.promises.lookup(bare, { all: true })).map((a) => a.address);
}

export type PostOutcome = AttemptResult & { excerpt?: string; ms: number };

/**
 * POSTs one signed body, on a fresh connection (no keep-alive reuse: an attempt never rides on a socket an
 * earlier attempt left in a bad state), without following redirects, with a deadline for the whole exchange.
 * Never throws: a refused connection, a timeout or a refused address is the attempt's error.
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, options: { timeoutMs?: number; allowPrivate?: boolean } = {}): Promise<PostOutcome> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const allowPrivate = options.allowPrivate ?? privateAddressesAllowed();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptResult & { excerpt?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ ...outcome, ms: Date.now() - started });
    };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return finish({ error: "invalid address" });
    }
    const secure = parsed.protocol === "https:";
    if (!secure && !(parsed.protocol === "http:" && isLoopbackHost(parsed.hostname))) return finish({ error: "only https (or http on loopback) is allowed" });
    const literal = parsed.hostname.replace(/^\[|\]$/g, "");
    const guard = secure && !allowPrivate;
    if (guard && net.isIP(literal) && isPrivateAddress(literal)) return finish({ error: "private address refused" });
    const request = (secure ? https : http).request(
      parsed,
      {
        method: "POST",
        agent: false,
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "Borikan-Webhooks/1", connection: "close" },
        ...(guard ? { lookup: guardedLookup as unknown as typeof dns.lookup } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let read = 0;
        response.on("data", (chunk: Buffer) => {
          if (read < MAX_READ_BYTES) chunks.push(chunk);
          read += chunk.length;
          if (read >= MAX_READ_BYTES) response.destroy();
        });
        const done = () => finish({ statusCode: response.statusCode, excerpt: bodyExcerpt(Buffer.concat(chunks).subarray(0, MAX_READ_BYTES).toString("utf8")) });
        response.on("end", done);
        response.on("close", done);
        response.on("error", done);
      },
    );
    const deadline = setTimeout(() => {
      finish({ error: `no answer within ${Math.round(timeoutMs / 1000)} s` });
      request.destroy();
    }, timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => {
      finish({ error: error instanceof PrivateAddressError ? "private address refused" : bodyExcerpt(error.code ? `${error.code}: ${error.message}` : error.message, 120) });
    });
    request.end(body);
  });
}
