import { isPrivateAddress } from "~/core/webhooks/webhook-rules";
import type { FieldError } from "~/core/forms/form-validation";
import { privateAddressesAllowed, resolveHost } from "./post-webhook.server";

/**
 * An https endpoint must not lead into the platform's own network: its host is resolved and refused when any
 * address is private or link-local (unless NODE_ENV=test or WEBHOOK_ALLOW_PRIVATE=1). The sender checks the
 * address it connects to again on every attempt, so a host re-pointed later is refused then.
 */
export async function checkWebhookHost(url: string, options: { allowPrivate?: boolean } = {}): Promise<FieldError[]> {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" || (options.allowPrivate ?? privateAddressesAllowed())) return [];
  let addresses: string[];
  try {
    addresses = await resolveHost(parsed.hostname);
  } catch {
    return [{ pointer: "/url", message: { th: "ไม่พบเครื่องปลายทางตามชื่อในที่อยู่นี้", en: "The address's host name could not be found" } }];
  }
  if (addresses.some(isPrivateAddress)) {
    return [{ pointer: "/url", message: { th: "ที่อยู่นี้ชี้ไปยังเครือข่ายภายใน ใช้ไม่ได้", en: "This address leads to a private network and cannot be used" } }];
  }
  return [];
}
