import type { LocalizedText } from "../text";

/** How many requests per how many seconds. */
export type Limit = { points: number; seconds: number };

/** Who a limit counts against. */
export type LimitSubject = "address" | "applicant" | "apiKey" | "uploader" | "account" | "email";

export type LimitSpec = {
  /** The setting that overrides the default, as `<count>/<period>` (e.g. `60/minute`). */
  setting: string;
  default: Limit;
  per: LimitSubject;
  what: LocalizedText;
};

const MINUTE = 60;
const HOUR = 3_600;

/**
 * Every request limit, in one place (the README's "Security" table lists the same). Each is counted in the
 * database, so it holds across web processes. Sign-in failures have their own settings (`signInPolicy`).
 */
export const RATE_LIMITS = {
  registrySearch: {
    setting: "RATE_LIMIT_REGISTRY_SEARCH",
    default: { points: 60, seconds: MINUTE },
    per: "address",
    what: { th: "ค้นหาทะเบียนใบอนุญาต (หน้าเว็บและ API)", en: "Registry search (page and API)" },
  },
  oversightExport: {
    setting: "RATE_LIMIT_OVERSIGHT_EXPORT",
    default: { points: 30, seconds: MINUTE },
    per: "account",
    what: { th: "ความพร้อมของบริการ (CSV) และรายงาน ก.พ.ร. (PDF)", en: "Service readiness CSV and OPDC report PDFs" },
  },
  registryExport: {
    setting: "RATE_LIMIT_REGISTRY_CSV",
    default: { points: 10, seconds: MINUTE },
    per: "address",
    what: { th: "ดาวน์โหลดทะเบียนเป็น CSV", en: "Registry CSV export" },
  },
  permitVerify: {
    setting: "RATE_LIMIT_PERMIT_VERIFY",
    default: { points: 60, seconds: MINUTE },
    per: "address",
    what: { th: "ตรวจสอบใบอนุญาตตามเลขที่ (หน้าใบอนุญาตและ API)", en: "Permit verification by number (permit page and API)" },
  },
  paymentCodes: {
    setting: "RATE_LIMIT_PAYMENT_CODES",
    default: { points: 60, seconds: MINUTE },
    per: "account",
    what: { th: "คิวอาร์โค้ดชำระเงินและใบแจ้งการชำระเงิน (PDF)", en: "Payment QR codes and pay-in slip PDFs" },
  },
  filingPerApplicant: {
    setting: "RATE_LIMIT_FILINGS_PER_APPLICANT",
    default: { points: 20, seconds: HOUR },
    per: "applicant",
    what: { th: "ยื่นคำขอ ต่อผู้ยื่นหนึ่งบัญชี", en: "Filing applications, per applicant account" },
  },
  filingPerApiKey: {
    setting: "RATE_LIMIT_FILINGS_PER_API_KEY",
    default: { points: 600, seconds: HOUR },
    per: "apiKey",
    what: { th: "ยื่นคำขอ ต่อ API key", en: "Filing applications, per API key" },
  },
  uploadCreation: {
    setting: "RATE_LIMIT_UPLOADS_PER_UPLOADER",
    default: { points: 60, seconds: HOUR },
    per: "uploader",
    what: { th: "เริ่มอัปโหลดไฟล์ ต่อผู้อัปโหลด", en: "Starting file uploads, per uploader" },
  },
  secondFactorAttempts: {
    setting: "RATE_LIMIT_SECOND_FACTOR",
    default: { points: 10, seconds: 15 * MINUTE },
    per: "account",
    what: { th: "ยืนยันตัวตนขั้นที่สอง (พาสคีย์ รหัสจากแอป รหัสกู้คืน) ต่อบัญชี", en: "Second-factor attempts (passkey, app code, recovery code), per account" },
  },
  oidcSignIn: {
    setting: "RATE_LIMIT_OIDC_SIGN_IN",
    default: { points: 30, seconds: 10 * MINUTE },
    per: "address",
    what: { th: "เข้าสู่ระบบด้วย ThaID หรือผู้ให้บริการยืนยันตัวตนอื่น (เริ่มและรับกลับ)", en: "Sign-in with ThaID or another identity provider (start and return)" },
  },
  invitationAccept: {
    setting: "RATE_LIMIT_INVITATION_ACCEPT",
    default: { points: 30, seconds: HOUR },
    per: "address",
    what: { th: "รับคำเชิญและตั้งรหัสผ่าน (หน้าเว็บและ API)", en: "Accepting invitations and setting a password (page and API)" },
  },
  signInCodePerEmail: {
    setting: "RATE_LIMIT_SIGN_IN_CODES_PER_EMAIL",
    default: { points: 5, seconds: HOUR },
    per: "email",
    what: { th: "ขอรหัสเข้าสู่ระบบทางอีเมล ต่ออีเมลหนึ่งที่อยู่", en: "E-mail sign-in codes sent, per e-mail address" },
  },
  signInCodePerAddress: {
    setting: "RATE_LIMIT_SIGN_IN_CODES_PER_ADDRESS",
    default: { points: 20, seconds: HOUR },
    per: "address",
    what: { th: "ขอรหัสเข้าสู่ระบบทางอีเมล ต่อเครือข่ายผู้ขอ", en: "E-mail sign-in codes sent, per client address" },
  },
  signInCodeChecks: {
    setting: "RATE_LIMIT_SIGN_IN_CODE_CHECKS",
    default: { points: 30, seconds: HOUR },
    per: "address",
    what: { th: "กรอกรหัสเข้าสู่ระบบทางอีเมล ต่อเครือข่ายผู้ขอ", en: "E-mail sign-in code checks, per client address" },
  },
  statisticsPage: {
    setting: "RATE_LIMIT_STATISTICS_PAGE",
    default: { points: 60, seconds: MINUTE },
    per: "address",
    what: { th: "หน้าสถิติสาธารณะของหน่วยงาน", en: "An agency's public statistics page" },
  },
  statisticsExport: {
    setting: "RATE_LIMIT_STATISTICS_EXPORT",
    default: { points: 10, seconds: MINUTE },
    per: "address",
    what: { th: "สถิติของหน่วยงานเป็นข้อมูลเปิด (JSON และ CSV)", en: "An agency's statistics as open data (JSON and CSV)" },
  },
  figuresRecompute: {
    setting: "RATE_LIMIT_FIGURES_RECOMPUTE",
    default: { points: 6, seconds: HOUR },
    per: "account",
    what: { th: "คำนวณตัวชี้วัดของ ก.พ.ร. ใหม่ทันที ต่อบัญชี", en: "Recomputing OPDC's figures now, per account" },
  },
  webhookSends: {
    setting: "RATE_LIMIT_WEBHOOK_SENDS",
    default: { points: 60, seconds: HOUR },
    per: "account",
    what: { th: "ส่ง webhook ทดสอบหรือส่งซ้ำจากหน้าผู้ดูแล ต่อบัญชี", en: "Test and resent webhooks from the admin page, per account" },
  },
  financeDecisions: {
    setting: "RATE_LIMIT_FINANCE_DECISIONS",
    default: { points: 60, seconds: HOUR },
    per: "account",
    what: { th: "ตัดสินใจรายการชำระที่จับคู่ไม่ได้และนำเข้ารายการเดินบัญชี ต่อบัญชี", en: "Decisions on unmatched payments and statement imports, per account" },
  },
  bankCallback: {
    setting: "RATE_LIMIT_BANK_CALLBACK",
    default: { points: 600, seconds: MINUTE },
    per: "address",
    what: { th: "การแจ้งชำระเงินจากธนาคาร (callback) ต่อเครือข่ายผู้ส่ง", en: "Bank payment callbacks, per client address" },
  },
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof RATE_LIMITS;

const PERIODS: Record<string, number> = { second: 1, minute: MINUTE, hour: HOUR, day: 24 * HOUR };

/**
 * Reads `<count>/<period>`: the period is `second`, `minute`, `hour`, `day` or a number of seconds
 * (`60/minute`, `600/hour`, `5/30`). Returns null when the text is not of that form.
 */
export function parseLimit(text: string): Limit | null {
  const match = /^\s*(\d+)\s*\/\s*(\d+|second|minute|hour|day)s?\s*$/i.exec(text);
  if (!match) return null;
  const points = Number(match[1]);
  const seconds = /^\d+$/.test(match[2]) ? Number(match[2]) : PERIODS[match[2].toLowerCase()];
  if (!Number.isSafeInteger(points) || points < 1 || !(seconds >= 1)) return null;
  return { points, seconds };
}

export function formatLimit(limit: Limit): string {
  const period = Object.entries(PERIODS).find(([, s]) => s === limit.seconds)?.[0];
  return `${limit.points}/${period ?? limit.seconds}`;
}

/** Sign-in protection: failures per account (e-mail) and per client address. */
export type SignInPolicy = {
  failuresPerAccount: number;
  failuresPerAddress: number;
  windowSeconds: number;
  lockSeconds: number;
  /** The first progressive delay; it doubles with each further failure. */
  firstDelayMs: number;
};

export const SIGN_IN_DEFAULTS: SignInPolicy = {
  failuresPerAccount: 10,
  failuresPerAddress: 50,
  windowSeconds: 15 * MINUTE,
  lockSeconds: 15 * MINUTE,
  firstDelayMs: 500,
};

const MAX_DELAY_MS = 8_000;

/**
 * How long to hold back the answer to a failed sign-in, given the failures counted so far (this one included)
 * and the number that locks: nothing for the first half, then the first delay doubling each time.
 */
export function signInDelayMs(failures: number, lockAt: number, firstDelayMs: number): number {
  const free = Math.floor(lockAt / 2);
  if (failures <= free || failures >= lockAt) return 0;
  return Math.min(firstDelayMs * 2 ** (failures - free - 1), MAX_DELAY_MS);
}
