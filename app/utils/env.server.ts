import { parseOidcProviders, type OidcProviderConfig } from "~/core/identity/oidc-providers";
import { parseLimit, RATE_LIMITS, SIGN_IN_DEFAULTS, type Limit, type LimitName, type SignInPolicy } from "~/core/security/limits";

/** Environment, checked once at start-up; a bad value fails loudly with its name. */
export type Env = {
  NODE_ENV: "production" | "development" | "test";
  MONGODB_URI: string;
  SESSION_SECRET: string;
  /** Encrypts the agencies' private signing keys at rest in the database. */
  KEY_ENCRYPTION_SECRET: string;
  PUBLIC_URL: string;
  MAX_BODY_BYTES: number;
  /** Page forms and drafts: each becomes (part of) one database document, which MongoDB caps at 16 MiB. */
  MAX_FORM_BYTES: number;
  /** Where applicant notices are sent (smtp://user:pass@host:port); unset, the case page is the only channel. */
  SMTP_URL?: string;
  MAIL_FROM: string;
  /** How often the worker looks for closed cases past their retention period (PDPA), in ms. */
  RETENTION_SWEEP_INTERVAL_MS: number;
  /** Where this host keeps a copy of the registry index snapshot it last loaded or wrote (a cache; ADR 012). */
  REGISTRY_CACHE_DIR: string;
  /** How many cases' effects (PDFs, signatures, mail) a web process produces at once, off the request path. */
  EFFECTS_CASES_AT_ONCE: number;
  /** Worker threads rendering PDFs (permits, letters, receipts) off the serving thread; 0 renders in it. */
  PDF_WORKERS: number;
  uploads: UploadEnv;
  /** How often the worker signs each audit chain's head with the agency's key (minutes). */
  AUDIT_CHECKPOINT_MINUTES: number;
  /** How often the worker recomputes OPDC's figures per agency (minutes). */
  OVERSIGHT_REFRESH_MINUTES: number;
  /** How often the worker looks for delay and decision notices that fall due (minutes). */
  NOTICE_SWEEP_MINUTES: number;
  /** How long after a decision the worker waits for the workflow's own notice before sending one itself (minutes). */
  DECISION_NOTICE_GRACE_MINUTES: number;
  /** How many reverse proxies in front of the web processes append to X-Forwarded-For (0: use the socket address). */
  TRUST_PROXY: number;
  /** Request limits (the table in core/security/limits.ts), each overridable by its setting. */
  rateLimits: Record<LimitName, Limit>;
  signIn: SignInPolicy;
  sessions: SessionEnv;
  /** Who must have a second factor (passkey or TOTP), as account kinds or staff roles. */
  secondFactor: SecondFactorEnv;
  /** Citizens' OpenID Connect providers (ThaID, DGA Digital ID), from OIDC_PROVIDERS (a JSON array). */
  oidcProviders: OidcProviderConfig[];
};

/** `SECOND_FACTOR_REQUIRED_ROLES`: kinds (staff, agencyAdmin, opdcAdmin) or roles (approver…); empty: nobody. */
export type SecondFactorEnv = { requiredFor: string[] };
export const SECOND_FACTOR_REQUIRED_DEFAULT = "agencyAdmin,opdcAdmin,approver";

function secondFactorEnv(): SecondFactorEnv {
  const raw = process.env.SECOND_FACTOR_REQUIRED_ROLES ?? SECOND_FACTOR_REQUIRED_DEFAULT;
  const requiredFor = raw.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = requiredFor.filter((s) => !/^[A-Za-z][A-Za-z0-9_-]*$/.test(s));
  if (bad.length > 0) throw new Error(`SECOND_FACTOR_REQUIRED_ROLES must be a comma-separated list of kinds or roles (got "${raw}")`);
  return { requiredFor };
}

/** How long a signed-in session lasts without use (idle) and at most (absolute), per kind of person, in ms. */
export type SessionLimits = { idleMs: number; maxMs: number };
/** Staff limits also apply to OPDC administrators. */
export type SessionEnv = { staff: SessionLimits; citizen: SessionLimits };

/** Where attachments are kept and how large they may be. */
export type UploadEnv = {
  /** `file` (a local directory, one web process or a shared disk) or `s3` (S3-compatible storage, many processes). */
  storage: "file" | "s3";
  dir: string;
  s3?: { endpoint?: string; bucket: string; region: string; accessKeyId?: string; secretAccessKey?: string; partSize: number };
  /** The ceiling for any one file unless an agency's own is lower (a field's limit can only be lower still). */
  maxBytes: number;
  /** What one applicant may hold in uploads not yet attached to a case. */
  applicantQuotaBytes: number;
  /** Unattached uploads are deleted this long after they were started. */
  expiryHours: number;
};

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}

function uploadEnv(): UploadEnv {
  const storage = (process.env.UPLOAD_STORAGE ?? "file") as UploadEnv["storage"];
  if (storage !== "file" && storage !== "s3") throw new Error(`UPLOAD_STORAGE must be file or s3 (got "${storage}")`);
  const bucket = process.env.S3_BUCKET ?? "";
  if (storage === "s3" && !bucket) throw new Error("S3_BUCKET must be set when UPLOAD_STORAGE=s3");
  return {
    storage,
    dir: process.env.UPLOAD_DIR ?? ".data/uploads",
    s3:
      storage === "s3"
        ? {
            endpoint: process.env.S3_ENDPOINT || undefined,
            bucket,
            region: process.env.S3_REGION ?? "us-east-1",
            accessKeyId: process.env.S3_ACCESS_KEY_ID || undefined,
            secretAccessKey: process.env.S3_SECRET_ACCESS_KEY || undefined,
            partSize: positive("S3_PART_SIZE", 8 * 1024 * 1024),
          }
        : undefined,
    maxBytes: positive("UPLOAD_MAX_BYTES", 5 * 1024 ** 3),
    applicantQuotaBytes: positive("UPLOAD_APPLICANT_QUOTA_BYTES", 20 * 1024 ** 3),
    expiryHours: positive("UPLOAD_EXPIRY_HOURS", 24),
  };
}

function nonNegativeInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number of 0 or more (got "${raw}")`);
  return value;
}

function rateLimitEnv(): Record<LimitName, Limit> {
  const entries = Object.entries(RATE_LIMITS).map(([name, spec]) => {
    const raw = process.env[spec.setting];
    if (raw === undefined || raw === "") return [name, spec.default];
    const limit = parseLimit(raw);
    if (!limit) throw new Error(`${spec.setting} must be <count>/<second|minute|hour|day|seconds>, e.g. 60/minute (got "${raw}")`);
    return [name, limit];
  });
  return Object.fromEntries(entries) as Record<LimitName, Limit>;
}

function signInEnv(): SignInPolicy {
  const minutes = (name: string, fallbackSeconds: number) => Math.ceil(positive(name, fallbackSeconds / 60) * 60);
  return {
    failuresPerAccount: Math.ceil(positive("SIGN_IN_FAILURES_PER_ACCOUNT", SIGN_IN_DEFAULTS.failuresPerAccount)),
    failuresPerAddress: Math.ceil(positive("SIGN_IN_FAILURES_PER_ADDRESS", SIGN_IN_DEFAULTS.failuresPerAddress)),
    windowSeconds: minutes("SIGN_IN_WINDOW_MINUTES", SIGN_IN_DEFAULTS.windowSeconds),
    lockSeconds: minutes("SIGN_IN_LOCK_MINUTES", SIGN_IN_DEFAULTS.lockSeconds),
    firstDelayMs: nonNegativeInteger("SIGN_IN_DELAY_MS", SIGN_IN_DEFAULTS.firstDelayMs),
  };
}

// Fractions are allowed (e.g. 0.02 minutes) so tests can watch a session expire.
function sessionEnv(): SessionEnv {
  const minutes = (name: string, fallback: number) => positive(name, fallback) * 60_000;
  const hours = (name: string, fallback: number) => positive(name, fallback) * 3_600_000;
  return {
    staff: { idleMs: minutes("STAFF_SESSION_IDLE_MINUTES", 30), maxMs: hours("STAFF_SESSION_MAX_HOURS", 8) },
    citizen: { idleMs: minutes("CITIZEN_SESSION_IDLE_MINUTES", 60), maxMs: hours("CITIZEN_SESSION_MAX_HOURS", 8) },
  };
}

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const nodeEnv = (process.env.NODE_ENV ?? "development") as Env["NODE_ENV"];
  if (!["production", "development", "test"].includes(nodeEnv)) throw new Error(`NODE_ENV must be production, development or test (got "${nodeEnv}")`);
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error("MONGODB_URI is not set: start the product with `npm start`, which starts the embedded database and sets it");
  if (!/^mongodb(\+srv)?:\/\//.test(uri)) throw new Error(`MONGODB_URI must start with mongodb:// (got "${uri}")`);
  const secret = process.env.SESSION_SECRET ?? (nodeEnv === "production" ? "" : "borikan-development-only-secret");
  if (secret.length < 16) throw new Error("SESSION_SECRET must be set to at least 16 characters in production");
  const keySecret = process.env.KEY_ENCRYPTION_SECRET ?? (nodeEnv === "production" ? "" : "borikan-development-only-key-secret");
  if (keySecret.length < 16) throw new Error("KEY_ENCRYPTION_SECRET must be set to at least 16 characters in production");
  const maxBody = Number(process.env.MAX_BODY_BYTES ?? 25 * 1024 * 1024);
  if (!Number.isFinite(maxBody) || maxBody <= 0) throw new Error("MAX_BODY_BYTES must be a positive number");
  const smtpUrl = process.env.SMTP_URL?.trim() || undefined;
  // The value is not echoed: it usually carries the SMTP password.
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new Error("SMTP_URL must start with smtp:// or smtps://");
  const publicUrl = (process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
  // A demonstration (npm start's default, or any non-production run) may use the local stand-in provider.
  const allowDemo = nodeEnv !== "production" || process.env.BORIKAN_DEMO === "1";
  cached = {
    NODE_ENV: nodeEnv,
    MONGODB_URI: uri,
    SESSION_SECRET: secret,
    KEY_ENCRYPTION_SECRET: keySecret,
    PUBLIC_URL: publicUrl,
    MAX_BODY_BYTES: maxBody,
    MAX_FORM_BYTES: positive("MAX_FORM_BYTES", 8 * 1024 * 1024),
    SMTP_URL: smtpUrl,
    MAIL_FROM: process.env.MAIL_FROM?.trim() || '"Borikan" <no-reply@borikan.local>',
    RETENTION_SWEEP_INTERVAL_MS: positive("RETENTION_SWEEP_INTERVAL_MS", 60 * 60 * 1000),
    REGISTRY_CACHE_DIR: process.env.REGISTRY_CACHE_DIR || ".data/registry-cache",
    // Rendering and signing are CPU work: about one case per core (the reference machine has two).
    EFFECTS_CASES_AT_ONCE: Math.max(1, Math.floor(positive("EFFECTS_CASES_AT_ONCE", 2))),
    // One thread renders while the other core serves requests and the database (the reference machine has two).
    PDF_WORKERS: nonNegativeInteger("PDF_WORKERS", 1),
    uploads: uploadEnv(),
    AUDIT_CHECKPOINT_MINUTES: positive("AUDIT_CHECKPOINT_MINUTES", 60),
    OVERSIGHT_REFRESH_MINUTES: positive("OVERSIGHT_REFRESH_MINUTES", 60),
    NOTICE_SWEEP_MINUTES: positive("NOTICE_SWEEP_MINUTES", 15),
    DECISION_NOTICE_GRACE_MINUTES: positive("DECISION_NOTICE_GRACE_MINUTES", 60),
    TRUST_PROXY: nonNegativeInteger("TRUST_PROXY", 0),
    rateLimits: rateLimitEnv(),
    signIn: signInEnv(),
    sessions: sessionEnv(),
    secondFactor: secondFactorEnv(),
    oidcProviders: parseOidcProviders(process.env.OIDC_PROVIDERS, { publicUrl, allowDemo }),
  };
  return cached;
}
