/**
 * A local OpenID provider standing in for ThaID (DOPA's digital ID) in demonstrations and tests: oidc-provider
 * on loopback, with demo citizens carrying valid national IDs and ThaID-shaped claims (pid, name, name_en,
 * given_name, family_name, birthdate, address). Its one page lets you pick a citizen and consent.
 * Never a real identity provider: no passwords, in-memory storage, a fresh signing key at every start.
 *
 *   npx tsx scripts/demo-oidc-provider.ts --port 3100 --client-id borikan --client-secret … --redirect-uri http://localhost:3000/auth/oidc/thaid-demo/callback
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import Provider, { type Configuration } from "oidc-provider";

export type DemoCitizen = {
  sub: string;
  pid: string;
  name: string;
  name_en: string;
  given_name: string;
  family_name: string;
  birthdate: string;
  address: { formatted: string; street_address: string; sub_locality: string; locality: string; region: string; postal_code: string; country: string };
};

/** National IDs with valid check digits (not real people's). */
export const DEMO_CITIZENS: DemoCitizen[] = [
  {
    sub: "demo-citizen-1",
    pid: "1101700234568",
    name: "สมศรี มีสุข",
    name_en: "Somsri Meesuk",
    given_name: "สมศรี",
    family_name: "มีสุข",
    birthdate: "1990-04-13",
    address: {
      formatted: "99/1 หมู่ 2 ถนนรัตนาธิเบศร์ ตำบลบางกระสอ อำเภอเมืองนนทบุรี จังหวัดนนทบุรี 11000",
      street_address: "99/1 หมู่ 2 ถนนรัตนาธิเบศร์",
      sub_locality: "บางกระสอ",
      locality: "เมืองนนทบุรี",
      region: "นนทบุรี",
      postal_code: "11000",
      country: "TH",
    },
  },
  {
    sub: "demo-citizen-2",
    pid: "3100600123450",
    name: "ประยุทธ ทองดี",
    name_en: "Prayut Thongdee",
    given_name: "ประยุทธ",
    family_name: "ทองดี",
    birthdate: "1975-11-02",
    address: {
      formatted: "12 ซอยสุขุมวิท 21 แขวงคลองเตยเหนือ เขตวัฒนา กรุงเทพมหานคร 10110",
      street_address: "12 ซอยสุขุมวิท 21",
      sub_locality: "คลองเตยเหนือ",
      locality: "วัฒนา",
      region: "กรุงเทพมหานคร",
      postal_code: "10110",
      country: "TH",
    },
  },
  {
    sub: "demo-citizen-3",
    pid: "5129900456785",
    name: "มาลี ศรีงาม",
    name_en: "Malee Sringam",
    given_name: "มาลี",
    family_name: "ศรีงาม",
    birthdate: "2001-01-30",
    address: {
      formatted: "45 หมู่ 7 ตำบลในเมือง อำเภอเมืองนครราชสีมา จังหวัดนครราชสีมา 30000",
      street_address: "45 หมู่ 7",
      sub_locality: "ในเมือง",
      locality: "เมืองนครราชสีมา",
      region: "นครราชสีมา",
      postal_code: "30000",
      country: "TH",
    },
  },
];

export type DemoClient = { clientId: string; clientSecret: string; redirectUris: string[] };

export type DemoProviderOptions = {
  /** 0 picks a free port. */
  port: number;
  /** 127.0.0.1 or localhost: the issuer stays on loopback (plain http is allowed only there). */
  host?: "127.0.0.1" | "localhost";
  clients: DemoClient[];
  /** How long an ID token is valid (seconds). */
  idTokenTtlSeconds?: number;
  /**
   * Tests only: make this provider misbehave so the relying party's checks can be seen refusing it — ID tokens
   * that expired an hour ago, or addressed to another client.
   */
  faults?: { expiredIdTokens?: boolean; idTokenAudience?: string };
};

export type DemoProvider = { issuer: string; port: number; stop: () => Promise<void> };

const SCOPE_CLAIMS = {
  openid: ["sub"],
  pid: ["pid"],
  name: ["name"],
  name_en: ["name_en"],
  given_name: ["given_name"],
  family_name: ["family_name"],
  birthdate: ["birthdate"],
  address: ["address"],
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:560px;margin:24px auto;padding:0 16px;color:#0b0c0c}
.banner{background:#fff7bf;border-left:6px solid #ffdd00;padding:8px 12px;margin-bottom:16px}
label.citizen{display:block;border:2px solid #b1b4b6;padding:10px 12px;margin:8px 0;cursor:pointer}
label.citizen:has(input:checked){border-color:#1d70b8;background:#f0f6fb}
.muted{color:#505a5f;font-size:.9em}
button{font-size:1em;padding:10px 16px;margin:12px 8px 0 0;border:0;background:#00703c;color:#fff;cursor:pointer}
button.secondary{background:#f3f2f1;color:#0b0c0c}
ul.claims{margin:4px 0 0 0}
</style></head><body>${body}</body></html>`;
}

function consentPage(uid: string, clientId: string, scopes: string[]): string {
  const citizens = DEMO_CITIZENS.map(
    (c, i) => `<label class="citizen"><input type="radio" name="citizen" value="${escapeHtml(c.sub)}" ${i === 0 ? "checked" : ""} data-testid="demo-citizen-${i + 1}">
<strong>${escapeHtml(c.name)}</strong> (${escapeHtml(c.name_en)})<br><span class="muted">เลขประจำตัวประชาชน / National ID ${escapeHtml(c.pid)} · เกิด / born ${escapeHtml(c.birthdate)}</span></label>`,
  ).join("\n");
  const claims = scopes.filter((s) => s !== "openid").map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("");
  return page(
    "ThaID (สาธิต) / ThaID (demo)",
    `<div class="banner"><strong>ระบบสาธิต / Demonstration only</strong> — ผู้ให้บริการยืนยันตัวตนจำลองแทน ThaID ไม่ใช่ระบบจริง / a stand-in for ThaID, not the real service.</div>
<h1>ThaID (สาธิต) / ThaID (demo)</h1>
<form method="post" action="/interaction/${escapeHtml(uid)}">
<fieldset style="border:0;padding:0"><legend><strong>เลือกประชาชนตัวอย่าง / Pick a demo citizen</strong></legend>
${citizens}
</fieldset>
<p><strong>${escapeHtml(clientId)}</strong> ขอข้อมูลต่อไปนี้ / asks for:</p><ul class="claims">${claims}</ul>
<button type="submit" name="decision" value="consent" data-testid="demo-consent">ยินยอมและเข้าสู่ระบบ / Consent and sign in</button>
<button type="submit" name="decision" value="cancel" class="secondary">ยกเลิก / Cancel</button>
</form>`,
  );
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}

export async function startDemoOidcProvider(options: DemoProviderOptions): Promise<DemoProvider> {
  const host = options.host ?? "127.0.0.1";
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port, host, resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${host}:${port}`;
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const configuration: Configuration = {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    jwks: { keys: [{ ...signingKey, use: "sig", alg: "RS256", kid: randomBytes(8).toString("hex") }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: SCOPE_CLAIMS,
    // ThaID puts the requested claims in the ID token itself.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { IdToken: options.idTokenTtlSeconds ?? 3600, AuthorizationCode: 60, AccessToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    findAccount: (_ctx, sub) => {
      const citizen = DEMO_CITIZENS.find((c) => c.sub === sub);
      return citizen ? { accountId: sub, claims: () => ({ ...citizen }) } : undefined;
    },
  };
  const provider = new Provider(issuer, configuration);
  applyFaults(provider, options.faults);
  const callback = provider.callback();

  server.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (!match) return void callback(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (req.method === "GET") {
          res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
          res.end(consentPage(details.uid, String(details.params.client_id), String(details.params.scope ?? "openid").split(" ")));
          return;
        }
        const form = await readForm(req);
        if (form.get("decision") !== "consent") {
          await provider.interactionFinished(req, res, { error: "access_denied", error_description: "The citizen cancelled" }, { mergeWithLastSubmission: false });
          return;
        }
        const citizen = DEMO_CITIZENS.find((c) => c.sub === form.get("citizen"));
        if (!citizen) {
          res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" });
          res.end("เลือกประชาชนตัวอย่าง / Pick a demo citizen");
          return;
        }
        const grant = new provider.Grant({ accountId: citizen.sub, clientId: String(details.params.client_id) });
        grant.addOIDCScope(String(details.params.scope ?? "openid"));
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId: citizen.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
      } catch (error) {
        res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" });
        res.end(`การเข้าสู่ระบบหมดเวลาหรือไม่ถูกต้อง / The sign-in expired or is invalid (${error instanceof Error ? error.message : "error"})`);
      }
    })();
  });

  return {
    issuer,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Test-only misbehaviour, patched onto this provider instance's ID tokens. */
function applyFaults(provider: Provider, faults: DemoProviderOptions["faults"]) {
  if (!faults?.expiredIdTokens && !faults?.idTokenAudience) return;
  type Issue = (this: { client: { clientId: string } }, options?: { use?: string; expiresAt?: number }) => Promise<string>;
  const proto = (provider as unknown as { IdToken: { prototype: { issue: Issue } } }).IdToken.prototype;
  const issue = proto.issue;
  proto.issue = function (this: { client: { clientId: string } }, issueOptions = {}) {
    if (faults.idTokenAudience) {
      const real = this.client;
      const audience = faults.idTokenAudience;
      Object.defineProperty(this, "client", { configurable: true, value: new Proxy(real, { get: (target, key) => (key === "clientId" ? audience : Reflect.get(target, key)) }) });
    }
    const expiresAt = faults.expiredIdTokens ? Math.floor(Date.now() / 1000) - 3600 : issueOptions.expiresAt;
    return issue.call(this, { ...issueOptions, ...(expiresAt ? { expiresAt } : {}) });
  };
}

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const redirectUri = arg("redirect-uri");
  const clientId = arg("client-id") ?? "borikan-demo";
  const clientSecret = arg("client-secret");
  if (!redirectUri || !clientSecret) {
    console.error("usage: demo-oidc-provider.ts --port 3100 --client-id ID --client-secret SECRET --redirect-uri URL");
    process.exit(2);
  }
  const provider = await startDemoOidcProvider({ port: Number(arg("port") ?? 3100), clients: [{ clientId, clientSecret, redirectUris: [redirectUri] }] });
  console.log(`Demo OpenID provider (ThaID stand-in) at ${provider.issuer}; citizens: ${DEMO_CITIZENS.map((c) => c.name_en).join(", ")}`);
  const stop = () => void provider.stop().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("SIGHUP", stop);
}
