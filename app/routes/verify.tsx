import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { peekPayload, verifyAnySignedDocument as verifySignedDocument, type KeySet, type SignedDocumentKind } from "~/core/permits/permit-signature";
import { PAYMENT_SOURCE_LABELS, type PaymentSource } from "~/core/payments/payment-source";
import type { LocalizedText } from "~/core/text";
import { pick } from "~/core/text";
import { formatDate, formatDateTime } from "~/core/thai/buddhist-date";
import { getAgencyForDocuments } from "~/models/agency.server";
import { publishedKeySet } from "~/services/document-signing.server";
import { requestLang } from "~/utils/lang.server";

export const meta: MetaFunction = () => [{ title: "ตรวจสอบลายมือชื่อ / Verify a permit — Borikan" }];

/**
 * Offline verification: the QR carries the signed permit in the URL fragment (never sent to the server);
 * this page checks it in the browser against the agencies' published keys that came with the page. No
 * permit database is consulted; the live status is fetched separately when the network allows.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const keySet = await publishedKeySet();
  // The agency a signature belongs to is shown by its name, never its id.
  const agencyIds = [...new Set(keySet.keys.map((k) => k.agency))];
  const agencies = await Promise.all(agencyIds.map((id) => getAgencyForDocuments(id)));
  const agencyNames: Record<string, LocalizedText> = {};
  agencyIds.forEach((id, i) => {
    const agency = agencies[i];
    if (agency) agencyNames[id] = agency.name;
  });
  return json({ lang: await requestLang(request), keySet, agencyNames });
}

type Outcome =
  | { state: "idle" }
  | { state: "valid"; kind: SignedDocumentKind; kid: string; agency: string; payload: Record<string, string> }
  | { state: "invalid"; code: string; reason: LocalizedText; claimed: unknown };

async function check(jws: string, keySet: KeySet): Promise<Outcome> {
  const { kind, check: result } = await verifySignedDocument(jws, keySet);
  if (!result.ok) return { state: "invalid", code: result.code, reason: result.reason, claimed: peekPayload(jws) };
  return { state: "valid", kind, kid: result.kid, agency: result.agency, payload: result.payload };
}

const LABELS: Record<string, LocalizedText> = {
  number: { th: "เลขที่", en: "Number" },
  holder: { th: "ผู้ได้รับอนุญาต", en: "Holder" },
  business: { th: "สถานประกอบการ", en: "Business" },
  activity: { th: "ประเภทกิจการ", en: "Activity" },
  address: { th: "ที่ตั้ง", en: "Premises" },
  issued: { th: "วันที่ออก", en: "Issued" },
  from: { th: "ใช้ได้ตั้งแต่", en: "Valid from" },
  until: { th: "ใช้ได้ถึง", en: "Valid until" },
  agency: { th: "หน่วยงาน", en: "Agency" },
  tracking: { th: "เลขที่คำขอ", en: "Tracking number" },
  applicant: { th: "ผู้ยื่นคำขอ", en: "Applicant" },
  kind: { th: "ชนิดหนังสือ", en: "Letter kind" },
  // an electronic receipt of a fee
  payer: { th: "ได้รับเงินจาก", en: "Received from" },
  amount: { th: "จำนวนเงิน (บาท)", en: "Amount (baht)" },
  paid: { th: "วันเวลาที่ชำระ", en: "Paid at" },
  source: { th: "ชำระโดย", en: "Paid by" },
  reference: { th: "เลขอ้างอิงการชำระ (Ref1)", en: "Payment reference (Ref1)" },
};

const KIND_NAMES: Record<SignedDocumentKind, LocalizedText> = {
  permit: { th: "ใบอนุญาต", en: "Permit" },
  letter: { th: "หนังสือแจ้งผล", en: "Result letter" },
  receipt: { th: "ใบเสร็จรับเงินอิเล็กทรอนิกส์", en: "Electronic receipt" },
};

export default function VerifyPage() {
  const { lang, keySet, agencyNames } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [input, setInput] = useState("");
  const [outcome, setOutcome] = useState<Outcome>({ state: "idle" });
  const [live, setLive] = useState<{ status: string } | null>(null);

  // The QR's text is in the fragment; opening another QR link in the same tab changes only the fragment,
  // which reloads nothing: the page checks the new one when it changes.
  useEffect(() => {
    const readHash = () => {
      const fromHash = decodeURIComponent(window.location.hash.slice(1));
      if (fromHash) setInput(fromHash);
    };
    readHash();
    window.addEventListener("hashchange", readHash);
    return () => window.removeEventListener("hashchange", readHash);
  }, []);

  useEffect(() => {
    const jws = input.trim().replace(/^.*#/, "");
    setLive(null);
    if (!jws) return setOutcome({ state: "idle" });
    let cancelled = false;
    void check(jws, keySet as KeySet).then((o) => {
      if (cancelled) return;
      setOutcome(o);
      if (o.state === "valid" && o.kind === "permit") {
        fetch(`/api/v1/permits/${encodeURIComponent(o.payload.number ?? "")}/verify`)
          // A refusal (429 when the address made too many checks) has no status: the signature result stands.
          .then((r) => (r.ok || r.status === 404 ? (r.json() as Promise<{ status: string }>) : Promise.reject(new Error(String(r.status)))))
          .then((r) => !cancelled && setLive({ status: r.status }))
          .catch(() => undefined); // offline: the signature check above stands on its own
      }
    });
    return () => {
      cancelled = true;
    };
  }, [input, keySet]);

  const th = lang === "th";
  const factText = (key: string, value: string, kind: SignedDocumentKind) => {
    // A receipt signs instants; permits and letters sign calendar days.
    if (kind === "receipt" && (key === "issued" || key === "paid")) return formatDateTime(String(value), lang);
    if (kind === "receipt" && key === "amount") return Number(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    if (key === "source" && Object.hasOwn(PAYMENT_SOURCE_LABELS, value)) return pick(PAYMENT_SOURCE_LABELS[value as PaymentSource], lang);
    if (["issued", "from", "until"].includes(key)) return formatDate(String(value).slice(0, 10), lang);
    if (key === "agency" && agencyNames[value]) return pick(agencyNames[value], lang);
    return String(value);
  };
  return (
    <div className="bk-permit-page">
      <h1>{th ? "ตรวจสอบใบอนุญาต หนังสือแจ้งผล และใบเสร็จรับเงิน" : "Verify a permit, result letter or receipt"}</h1>
      <p className="bk-muted">
        {th
          ? "สแกน QR บนใบอนุญาต หรือวางข้อความที่ได้จาก QR ด้านล่าง ระบบจะตรวจลายมือชื่ออิเล็กทรอนิกส์ด้วยกุญแจสาธารณะของหน่วยงานในเบราว์เซอร์ของท่าน โดยไม่ต้องใช้ฐานข้อมูล"
          : "Scan the QR on a permit or paste its text below. The electronic signature is checked in your browser against the agencies' published keys, without the database."}
      </p>
      <label className="bk-field">
        {th ? "ข้อความจาก QR" : "Text from the QR"}
        <textarea rows={3} value={input} onChange={(e) => setInput(e.target.value)} data-testid="verify-input" spellCheck={false} />
      </label>
      {outcome.state === "valid" ? (
        <section className="bk-permit-status valid" data-testid="verify-result" data-result="valid">
          <span className="bk-status large valid">{th ? "ลายมือชื่อถูกต้อง" : "Signature valid"}</span>
          <div>
            <p data-testid="verify-kind"><strong>{pick(KIND_NAMES[outcome.kind], lang)}</strong></p>
            <dl className="bk-facts">
              {/* in the order a permit prints them, not the signed JSON's sorted order */}
              {Object.keys(LABELS)
                .filter((k) => outcome.payload[k] !== undefined)
                .map((k) => [k, outcome.payload[k]] as const)
                .map(([k, v]) => (
                  <div className="bk-facts-row" key={k}>
                    <dt>{pick(LABELS[k], lang)}</dt>
                    <dd>{factText(k, v, outcome.kind)}</dd>
                  </div>
                ))}
            </dl>
            <p className="bk-muted" data-testid="verify-signer">
              {th ? "ลงนามโดย " : "Signed by "}
              {agencyNames[outcome.agency] ? pick(agencyNames[outcome.agency], lang) : outcome.agency}
              {th ? ` (กุญแจ ${outcome.kid})` : ` (key ${outcome.kid})`}
            </p>
            {outcome.kind === "permit" ? (
              <p data-testid="verify-live">
                {live ? (
                  <>
                    {th ? "สถานะปัจจุบันในทะเบียน: " : "Current status in the registry: "}
                    <span className={`bk-status ${live.status}`}>{t(`status.${live.status}`)}</span>{" "}
                  </>
                ) : null}
                <a href={`/permits/${encodeURIComponent(outcome.payload.number ?? "")}`}>{t("permit.openPermit")}</a>
              </p>
            ) : null}
          </div>
        </section>
      ) : outcome.state === "invalid" ? (
        <section className="bk-permit-status revoked" data-testid="verify-result" data-result="invalid" data-reason={outcome.code}>
          <span className="bk-status large revoked">
            {outcome.code === "BAD_SIGNATURE" ? (th ? "ตรวจสอบไม่ผ่าน: ถูกแก้ไข" : "Not valid: altered") : th ? "ตรวจสอบไม่ผ่าน" : "Not valid"}
          </span>
          <div>
            <p role="alert">{pick(outcome.reason, lang)}</p>
            {outcome.claimed ? <p className="bk-muted">{th ? "ข้อมูลที่อ้างไว้ในรหัส (ไม่น่าเชื่อถือ):" : "What the code claims (not trustworthy):"} {JSON.stringify(outcome.claimed)}</p> : null}
          </div>
        </section>
      ) : null}
      <section className="bk-card">
        <h2>{th ? "ตรวจสอบเองโดยไม่ใช้เว็บไซต์นี้" : "Verify without this website"}</h2>
        <p>
          {th ? "กุญแจสาธารณะของทุกหน่วยงาน: " : "Every agency's public key: "}
          <a href="/.well-known/borikan-keys.json">/.well-known/borikan-keys.json</a>
          {th
            ? " — ข้อความใน QR เป็นลายมือชื่ออิเล็กทรอนิกส์มาตรฐาน JWS (RFC 7515) แบบ EdDSA/Ed25519 ตรวจสอบได้ด้วยซอฟต์แวร์ JOSE ทั่วไป"
            : " — the QR text is a standard JWS (RFC 7515) signed with EdDSA/Ed25519, which any JOSE software can check."}
        </p>
      </section>
    </div>
  );
}
