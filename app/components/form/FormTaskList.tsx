import { formSections, type SectionStatus } from "~/core/forms/form-sections";
import { pick, type Lang } from "~/core/text";

const TEXT = {
  heading: { th: "ส่วนของแบบฟอร์ม", en: "Sections of the form" },
  status: {
    notStarted: { th: "ยังไม่ได้เริ่ม", en: "Not started" },
    inProgress: { th: "ยังไม่ครบ", en: "Incomplete" },
    complete: { th: "ครบแล้ว", en: "Completed" },
  } satisfies Record<SectionStatus, { th: string; en: string }>,
};

/** A long form's sections with how far each is filled in, each a link to its part of the form (GOV.UK task list). */
export function FormTaskList({ schema, data, lang }: { schema: unknown; data: unknown; lang: Lang }) {
  const sections = formSections(schema, data, lang);
  if (sections.length === 0) return null;
  return (
    <nav className="bk-task-list" aria-labelledby="task-list-heading" data-testid="task-list">
      <h2 id="task-list-heading">{pick(TEXT.heading, lang)}</h2>
      <ol>
        {sections.map((s) => (
          <li key={s.key} data-section={s.key} data-status={s.status}>
            <a href={`#root_${s.key}`} aria-describedby={`task-${s.key}-status`}>{s.title}</a>
            <span className={`bk-task-status ${s.status}`} id={`task-${s.key}-status`}>{pick(TEXT.status[s.status], lang)}</span>
          </li>
        ))}
      </ol>
    </nav>
  );
}
