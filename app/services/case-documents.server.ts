import type { LocalizedText } from "~/core/text";
import type { CaseDoc } from "~/models/case.server";
import { getEffectRuns } from "~/models/effect-run.server";
import { getPermit } from "~/models/permit.server";
import { getResultDocument } from "~/models/result-document.server";

const RESULT_TITLES: Record<string, LocalizedText> = {
  approval: { th: "หนังสือแจ้งผลการพิจารณา (อนุญาต)", en: "Decision letter (approved)" },
  rejection: { th: "หนังสือแจ้งผลการพิจารณา (ไม่อนุญาต) พร้อมเหตุผล", en: "Decision letter (refused) with reasons" },
  answer: { th: "หนังสือตอบคำร้อง", en: "Answer to the petition" },
  acknowledgement: { th: "หนังสือแจ้งรับเรื่อง", en: "Acknowledgement letter" },
};

export type CaseDocument =
  | { kind: "permit"; number: string; title: LocalizedText; issuedOn: string; validUntil: string; pdfUrl: string; pageUrl: string }
  | { kind: "letter"; id: string; number: string; title: LocalizedText; issuedAt: string; pdfUrl: string }
  | { kind: "pending"; effectType: string; title: LocalizedText };

/**
 * What the agency has issued on a case (s.11: the applicant receives results electronically): permits
 * and signed letters, in issue order, and those still being prepared.
 */
export async function caseDocuments(record: Pick<CaseDoc, "_id" | "effects">): Promise<CaseDocument[]> {
  const issuing = record.effects.filter((e) => e.type === "issuePermit" || e.type === "issueResult");
  const runs = await getEffectRuns(issuing.map((e) => e.id));
  const out: CaseDocument[] = [];
  for (const effect of issuing) {
    const run = runs.get(effect.id);
    if (!run) {
      out.push({
        kind: "pending",
        effectType: effect.type,
        title: effect.type === "issuePermit" ? { th: "ใบอนุญาต (กำลังจัดทำ)", en: "Permit (being prepared)" } : { th: "หนังสือแจ้งผล (กำลังจัดทำ)", en: "Result letter (being prepared)" },
      });
    } else if (run.result.permitNumber) {
      const permit = await getPermit(run.result.permitNumber);
      if (permit) {
        const path = `/permits/${encodeURIComponent(permit.number)}`;
        out.push({ kind: "permit", number: permit.number, title: permit.typeName, issuedOn: permit.issuedOn, validUntil: permit.validUntil, pdfUrl: `${path}/permit.pdf`, pageUrl: path });
      }
    } else if (run.result.letterId) {
      const letter = await getResultDocument(run.result.letterId);
      if (letter) {
        out.push({
          kind: "letter",
          id: letter.id,
          number: letter.number,
          title: RESULT_TITLES[letter.kind] ?? RESULT_TITLES.answer,
          issuedAt: new Date(letter.issuedAt).toISOString(),
          pdfUrl: `/cases/${String(record._id)}/letters/${letter.id}.pdf`,
        });
      }
    }
  }
  return out;
}
