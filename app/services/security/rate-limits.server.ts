import type { HeadersFunction } from "@remix-run/node";
import { RateLimiterRes } from "rate-limiter-flexible";
import type { Actor } from "~/core/actor";
import { headersFor, isAppError, rateLimited, type AppError } from "~/core/errors";
import type { LimitName } from "~/core/security/limits";
import { env } from "~/utils/env.server";
import { RateLimiterClaimStore } from "./rate-limiter-store.server";

const limiters = new Map<LimitName, RateLimiterClaimStore>();

function limiterFor(name: LimitName): RateLimiterClaimStore {
  let limiter = limiters.get(name);
  if (!limiter) {
    const { points, seconds } = env().rateLimits[name];
    limiter = new RateLimiterClaimStore({ keyPrefix: `limit:${name}`, points, duration: seconds });
    limiters.set(name, limiter);
  }
  return limiter;
}

/** Counts one request of `subject` against the limit; over it, throws RATE_LIMITED (429 with Retry-After). */
export async function enforceRateLimit(name: LimitName, subject: string): Promise<void> {
  try {
    await limiterFor(name).consume(subject);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(error.msBeforeNext / 1000);
    throw error;
  }
}

/** Filings count per API key for agency systems, per account for everyone else. */
export function enforceFilingLimit(actor: Actor): Promise<void> {
  return actor.kind === "api" ? enforceRateLimit("filingPerApiKey", actor.id) : enforceRateLimit("filingPerApplicant", actor.id);
}

/**
 * For page loaders: the same limit, refused as a 429 page whose message (th / en) the root error boundary
 * shows, with Retry-After.
 */
export async function enforcePageRateLimit(name: LimitName, subject: string): Promise<void> {
  try {
    await enforceRateLimit(name, subject);
  } catch (error) {
    if (isRateLimited(error)) throw rateLimitedPage(error);
    throw error;
  }
}

export function isRateLimited(error: unknown): error is AppError {
  return isAppError(error) && error.code === "RATE_LIMITED";
}

export function rateLimitedPage(error: AppError): Response {
  return new Response(`${error.text.th} / ${error.text.en}`, {
    status: 429,
    headers: { ...headersFor(error), "Content-Type": "text/plain; charset=utf-8" },
  });
}

/**
 * A page route's `headers`: keeps the Retry-After of a refusal on the document. Remix drops a loader's,
 * action's or thrown response's headers from documents unless the route passes them on.
 */
export const keepRetryAfter: HeadersFunction = ({ loaderHeaders, actionHeaders, errorHeaders }) => {
  const headers = new Headers();
  for (const source of [loaderHeaders, actionHeaders, errorHeaders]) {
    const retryAfter = source?.get("Retry-After");
    if (retryAfter) headers.set("Retry-After", retryAfter);
  }
  return headers;
};
