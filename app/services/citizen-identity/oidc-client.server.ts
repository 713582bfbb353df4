import * as client from "openid-client";
import { AppError, notFound } from "~/core/errors";
import { isLoopbackUrl, type OidcProviderConfig } from "~/core/identity/oidc-providers";
import { env } from "~/utils/env.server";

/** A configured provider by id; NOT_FOUND for any other. */
export function oidcProvider(id: string): OidcProviderConfig {
  const provider = env().oidcProviders.find((p) => p.id === id);
  if (!provider) throw notFound({ th: "ผู้ให้บริการยืนยันตัวตนนี้", en: "Identity provider" });
  return provider;
}

export function providerUnavailable(provider: OidcProviderConfig): AppError {
  return new AppError("PROVIDER_UNAVAILABLE", {
    th: `ติดต่อ ${provider.label.th} ไม่ได้ในขณะนี้ กรุณาลองใหม่ภายหลัง`,
    en: `${provider.label.en} cannot be reached at the moment. Please try again later`,
  });
}

// Discovery once per provider and process; a failure is not remembered, so the next sign-in tries again.
const configurations = new Map<string, Promise<client.Configuration>>();

/** The provider's openid-client configuration (discovered from its issuer, client authentication set). */
export function oidcConfiguration(provider: OidcProviderConfig): Promise<client.Configuration> {
  let pending = configurations.get(provider.id);
  if (!pending) {
    const issuer = new URL(provider.issuer);
    const auth = provider.clientSecret ? client.ClientSecretBasic(provider.clientSecret) : client.None();
    // Plain http only for the local demo provider on loopback (the environment check allows nothing else).
    const insecure = issuer.protocol === "http:" && isLoopbackUrl(issuer);
    pending = client.discovery(issuer, provider.clientId, provider.clientSecret, auth, insecure ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 });
    configurations.set(provider.id, pending);
    pending.catch(() => configurations.delete(provider.id));
  }
  return pending.catch((error: unknown) => {
    console.warn(JSON.stringify({ event: "oidc-discovery-failed", provider: provider.id, error: error instanceof Error ? error.message : String(error) }));
    throw providerUnavailable(provider);
  });
}
