import type { VerificationFinding, VerificationReport as Report, VerificationRule } from "~/core/definitions/verify-definition";
import { pick, type Lang, type LocalizedText } from "~/core/text";

/** What each rule proves, in the order the report lists them (the list, then the warnings). */
const RULES: { rule: VerificationRule; label: LocalizedText }[] = [
  { rule: "structure", label: { th: "โครงสร้างนิยามบริการถูกต้องตามแบบ", en: "The definition matches the meta-schemas" } },
  { rule: "reachable", label: { th: "ทุกขั้นตอนไปถึงได้จากจุดเริ่มต้น", en: "Every step can be reached from the start" } },
  { rule: "can-finish", label: { th: "ไม่มีทางตัน: ทุกขั้นตอนไปถึงขั้นตอนสุดท้ายได้", en: "No dead ends: every step can reach a final step" } },
  { rule: "roles-exist", label: { th: "บทบาททุกบทบาทมีอยู่ในหน่วยงาน", en: "Every role exists in the agency" } },
  { rule: "catalogue", label: { th: "เงื่อนไขและการกระทำมาจากแคตตาล็อกและพารามิเตอร์ถูกต้อง", en: "Guards and actions come from the catalogue with valid parameters" } },
  { rule: "fields-exist", label: { th: "ช่องที่เงื่อนไขและใบอนุญาตอ่านมีอยู่ในแบบฟอร์ม", en: "Fields read by guards and the permit exist in the form" } },
  { rule: "permit-path", label: { th: "มีเส้นทางที่ออกใบอนุญาต", en: "A path issues the permit" } },
  { rule: "fees", label: { th: "ค่าธรรมเนียมทุกรายการถูกต้อง: เงื่อนไขจากแคตตาล็อก ช่องมีในแบบฟอร์ม จำนวนเงินไม่เกิน 2 ตำแหน่งทศนิยม", en: "Every fee line is sound: catalogue conditions, fields in the form, amounts to two decimals" } },
  { rule: "fee-paid", label: { th: "ทุกเส้นทางที่ออกใบอนุญาตของบริการที่มีค่าธรรมเนียม ผ่านการแจ้งชำระและการรับชำระก่อน", en: "Every path to a permit of a service with fees asks for the fee and records its payment first" } },
  { rule: "sla-fits", label: { th: "ระยะเวลาตามเส้นทางที่ยาวที่สุดไม่เกินกำหนดตามกฎหมาย", en: "The longest happy path fits the statutory time limit" } },
  { rule: "unused-role", label: { th: "ทุกบทบาทที่ประกาศมีงานทำ", en: "Every declared role has something to do" } },
  { rule: "unreachable-field", label: { th: "ทุกช่องในแบบฟอร์มแสดงได้", en: "Every form field can be shown" } },
  { rule: "fee-request", label: { th: "แจ้งชำระค่าธรรมเนียมเมื่อบริการมีค่าธรรมเนียม (และเฉพาะเมื่อมี)", en: "Fees are asked for when the service has fees (and only then)" } },
  { rule: "four-eyes", label: { th: "เส้นทางที่ออกใบอนุญาตหรืออนุมัติมีหลักสี่ตา (คนละคนกับผู้ทำขั้นตอนก่อนหน้า)", en: "Paths that grant a permit or approval have a four-eyes rule (someone other than an earlier step's actor)" } },
];

const TEXT = {
  th: {
    heading: "ผลการตรวจสอบก่อนเผยแพร่",
    ok: "ผ่านการตรวจสอบ เผยแพร่ได้",
    failed: "พบข้อผิดพลาด {{n}} รายการ ต้องแก้ไขก่อนเผยแพร่",
    warnings: "คำเตือน {{n}} รายการ (เผยแพร่ได้)",
    passed: "ผ่าน",
    error: "ข้อผิดพลาด",
    warning: "คำเตือน",
    where: "ตำแหน่ง",
    state: "ขั้นตอน",
    field: "ช่อง",
    notRun: "ยังไม่ได้ตรวจสอบ",
  },
  en: {
    heading: "Verification before publishing",
    ok: "Verified: ready to publish",
    failed: "{{n}} errors must be fixed before publishing",
    warnings: "{{n}} warnings (publishing is allowed)",
    passed: "passed",
    error: "Error",
    warning: "Warning",
    where: "Location",
    state: "Step",
    field: "Field",
    notRun: "Not verified yet",
  },
} as const;

const fill = (text: string, n: number) => text.replace("{{n}}", String(n));

function Finding({ finding, severity, lang }: { finding: VerificationFinding; severity: "error" | "warning"; lang: Lang }) {
  const tx = TEXT[lang];
  return (
    <li className={`bk-vr-finding ${severity}`} data-rule={finding.rule}>
      <span className={`bk-badge ${severity === "error" ? "rejected" : "paused"}`}>{severity === "error" ? tx.error : tx.warning}</span> {pick(finding.message, lang)}
      <div className="bk-muted bk-vr-where">
        {finding.state ? <>{tx.state}: <code>{finding.state}</code> · </> : null}
        {finding.field ? <>{tx.field}: <code>{finding.field}</code> · </> : null}
        {tx.where}: <code>{finding.path}</code>
      </div>
    </li>
  );
}

/** The verification report in plain Thai/English: every rule with its result, findings with the offending step or field. */
export function VerificationReport({ report, lang }: { report: Report | null; lang: Lang }) {
  const tx = TEXT[lang];
  if (!report) return <p className="bk-muted">{tx.notRun}</p>;
  return (
    <section className="bk-vr" data-testid="verification-report" data-ok={report.ok ? "true" : "false"}>
      <div className={`bk-alert ${report.ok ? "ok" : "error"}`} role="status">
        <strong>{report.ok ? tx.ok : fill(tx.failed, report.errors.length)}</strong>
        {report.warnings.length > 0 ? <div>{fill(tx.warnings, report.warnings.length)}</div> : null}
      </div>
      <ol className="bk-vr-rules">
        {RULES.map(({ rule, label }) => {
          const errors = report.errors.filter((f) => f.rule === rule);
          const warnings = report.warnings.filter((f) => f.rule === rule);
          const status = errors.length > 0 ? "error" : warnings.length > 0 ? "warning" : "passed";
          return (
            <li key={rule} className={`bk-vr-rule ${status}`} data-testid={`rule-${rule}`} data-status={status}>
              <span className="bk-vr-mark" aria-hidden="true">{status === "passed" ? "✓" : status === "error" ? "✗" : "!"}</span>
              <span className="bk-vr-label">{pick(label, lang)}</span>
              {status === "passed" ? <span className="bk-muted"> — {tx.passed}</span> : null}
              {errors.length + warnings.length > 0 ? (
                <ul className="bk-vr-findings">
                  {errors.map((f, i) => <Finding key={`e${i}`} finding={f} severity="error" lang={lang} />)}
                  {warnings.map((f, i) => <Finding key={`w${i}`} finding={f} severity="warning" lang={lang} />)}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
