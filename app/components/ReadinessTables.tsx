import { CRITERIA, CRITERION_TITLES, LEVEL_LABELS, STATUS_LABELS, type CriterionStatus, type ServiceReadiness } from "~/core/oversight/readiness";
import { pick, type Lang, type LocalizedText } from "~/core/text";

export const READINESS_TEXT = {
  criterion: { th: "เกณฑ์", en: "Criterion" },
  status: { th: "ผล", en: "Status" },
  why: { th: "เหตุผล", en: "Why" },
  change: { th: "สิ่งที่ต้องแก้ไข", en: "What to change" },
  use: { th: "การใช้งาน", en: "Use" },
  declared: { th: "ระดับที่ประกาศ", en: "Declared level" },
  reached: { th: "ระดับที่ผ่านเกณฑ์", en: "Level reached" },
  service: { th: "บริการ", en: "Service" },
  agency: { th: "หน่วยงาน", en: "Agency" },
  meets: { th: "ผ่านระดับที่ประกาศ", en: "Meets its declared level" },
  below: { th: "ต่ำกว่าระดับที่ประกาศ", en: "Below its declared level" },
  noServices: { th: "ยังไม่มีบริการที่เผยแพร่", en: "No published services yet" },
  criteriaOf: { th: "เกณฑ์ของบริการ", en: "Criteria of" },
  openStudio: { th: "แก้ไขในสตูดิโอบริการ", en: "Change it in the service studio" },
  basis: {
    th: "ตรวจตามเกณฑ์วิธีการทางอิเล็กทรอนิกส์ของ สพร. (มสพร. 6-5) จากคำนิยามบริการที่เผยแพร่และการใช้งานจริง ระดับเริ่มต้นต้องมีช่องทางออนไลน์และใบรับอิเล็กทรอนิกส์ ระดับมาตรฐานต้องผ่านทุกเกณฑ์ที่เกี่ยวข้อง",
    en: "Checked against the DGA criteria for electronic methods (มสพร. 6-5), from the published definition and its use. The initial level needs the online channel and the electronic receipt; the standard level needs every criterion that applies.",
  },
} satisfies Record<string, LocalizedText>;

const STATUS_MARK: Record<CriterionStatus, string> = { met: "✓", notMet: "✗", notApplicable: "–" };

export function StatusBadge({ status, lang }: { status: CriterionStatus; lang: Lang }) {
  return (
    <span className={`bk-badge bk-readiness-${status}`} data-status={status}>
      <span aria-hidden="true">{STATUS_MARK[status]} </span>
      {pick(STATUS_LABELS[status], lang)}
    </span>
  );
}

export function LevelSummary({ service, lang }: { service: ServiceReadiness; lang: Lang }) {
  const t = (text: LocalizedText) => pick(text, lang);
  return (
    <p style={{ margin: "4px 0 8px" }} data-testid={`level-${service.slug}`} data-meets={service.meetsDeclared ? "yes" : "no"}>
      {t(READINESS_TEXT.declared)}: <strong>{t(LEVEL_LABELS[service.declaredLevel])}</strong> · {t(READINESS_TEXT.reached)}:{" "}
      <strong>{t(LEVEL_LABELS[service.reachedLevel])}</strong> ·{" "}
      <span className={service.meetsDeclared ? "bk-readiness-ok" : "bk-error-message"}>{t(service.meetsDeclared ? READINESS_TEXT.meets : READINESS_TEXT.below)}</span>
    </p>
  );
}

/** One service's criteria: status, why, what to change, what its use shows. */
export function CriteriaTable({ service, lang }: { service: ServiceReadiness; lang: Lang }) {
  const t = (text: LocalizedText) => pick(text, lang);
  return (
    <table className="bk-table" data-testid={`criteria-${service.slug}`}>
      <caption>
        {t(READINESS_TEXT.criteriaOf)} {t(service.title)}
      </caption>
      <thead>
        <tr>
          <th scope="col">{t(READINESS_TEXT.criterion)}</th>
          <th scope="col">{t(READINESS_TEXT.status)}</th>
          <th scope="col">{t(READINESS_TEXT.why)}</th>
          <th scope="col">{t(READINESS_TEXT.use)}</th>
        </tr>
      </thead>
      <tbody>
        {service.criteria.map((c) => (
          <tr key={c.id} data-criterion={c.id} data-status={c.status}>
            <th scope="row">{t(c.title)}</th>
            <td><StatusBadge status={c.status} lang={lang} /></td>
            <td>
              {t(c.why)}
              {c.change ? (
                <p style={{ margin: "6px 0 0" }}>
                  <strong>{t(READINESS_TEXT.change)}:</strong> {t(c.change)}
                </p>
              ) : null}
            </td>
            <td>{c.evidence ? t(c.evidence) : "–"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every service of some agencies, one row each, one column per criterion. */
export function ReadinessSummaryTable({
  rows,
  lang,
  caption,
  showAgency = true,
}: {
  rows: { agency: LocalizedText; service: ServiceReadiness }[];
  lang: Lang;
  caption: LocalizedText;
  showAgency?: boolean;
}) {
  const t = (text: LocalizedText) => pick(text, lang);
  return (
    <table className="bk-table" data-testid="readiness-summary">
      <caption>{t(caption)}</caption>
      <thead>
        <tr>
          {showAgency ? <th scope="col">{t(READINESS_TEXT.agency)}</th> : null}
          <th scope="col">{t(READINESS_TEXT.service)}</th>
          <th scope="col" className="bk-level">{t(READINESS_TEXT.declared)}</th>
          <th scope="col" className="bk-level">{t(READINESS_TEXT.reached)}</th>
          {CRITERIA.map((id) => (
            <th scope="col" key={id}>{t(CRITERION_TITLES[id])}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr><td colSpan={(showAgency ? 3 : 2) + CRITERIA.length} className="bk-muted">{t(READINESS_TEXT.noServices)}</td></tr>
        ) : null}
        {rows.map(({ agency, service }) => (
          <tr key={service.slug} data-service={service.slug} data-meets={service.meetsDeclared ? "yes" : "no"}>
            {showAgency ? <td>{t(agency)}</td> : null}
            <th scope="row"><a href={`#svc-${service.slug}`}>{t(service.title)}</a></th>
            <td className="bk-level">{t(LEVEL_LABELS[service.declaredLevel])}</td>
            <td className="bk-level">
              {t(LEVEL_LABELS[service.reachedLevel])}
              {service.meetsDeclared ? null : <span className="bk-error-message"> ({t(READINESS_TEXT.below)})</span>}
            </td>
            {CRITERIA.map((id) => {
              const c = service.criteria.find((x) => x.id === id)!;
              return <td key={id}><StatusBadge status={c.status} lang={lang} /></td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The details of each service: heading, levels and its criteria table. */
export function ServiceReadinessDetails({ service, lang, agency, studio }: { service: ServiceReadiness; lang: Lang; agency?: LocalizedText; studio?: boolean }) {
  const t = (text: LocalizedText) => pick(text, lang);
  return (
    <section className="bk-card" id={`svc-${service.slug}`} data-testid={`readiness-${service.slug}`} style={{ marginTop: 16 }}>
      <h3 style={{ margin: 0 }}>{t(service.title)}</h3>
      {agency ? <p className="bk-muted" style={{ margin: "2px 0 0" }}>{t(agency)}</p> : null}
      <LevelSummary service={service} lang={lang} />
      <CriteriaTable service={service} lang={lang} />
      {studio && service.criteria.some((c) => c.status === "notMet") ? (
        <p style={{ margin: "10px 0 0" }}>
          <a href={`/studio/${service.slug}`} data-testid={`studio-${service.slug}`}>{t(READINESS_TEXT.openStudio)}: {t(service.title)}</a>
        </p>
      ) : null}
    </section>
  );
}
