import { useEffect, useRef, useState } from "react";
import { listAnswers, type Answer } from "~/core/forms/answers";
import { describeDataUrl } from "~/core/forms/form-fields";
import type { Lang } from "~/core/text";
import { uploadIdOf } from "~/core/uploads/upload-rules";
import { fieldIdOf } from "./field-focus";
import { FORM_TEXT } from "./form-text";
import { knownUploadName } from "./UploadWidget";

/** A file's name: from a data URL, from this page's uploads, else asked of the upload API once. */
function FileName({ value, lang }: { value: string; lang: Lang }) {
  const id = uploadIdOf(value);
  const [fetched, setFetched] = useState<string | null>(null);
  const known = id ? knownUploadName(id) : describeDataUrl(value)?.name;
  useEffect(() => {
    if (!id || known) return;
    let live = true;
    fetch(`/api/v1/uploads/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } })
      .then((res) => (res.ok ? (res.json() as Promise<{ name?: unknown }>) : null))
      .then((body) => live && typeof body?.name === "string" && setFetched(body.name))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [id, known]);
  return <>{known ?? fetched ?? `${FORM_TEXT.file[lang]} ${id ?? ""}`.trim()}</>;
}

/**
 * GOV.UK's "check your answers" page: each answered field with its title and value, a "เปลี่ยน / Change" link
 * back to the field, then "ยืนยันและยื่น / Confirm and send".
 */
export function CheckAnswers(props: {
  schema: unknown;
  data: unknown;
  lang: Lang;
  busy: boolean;
  onChange: (pointer: string) => void;
  onBack: () => void;
  onConfirm: () => void;
}) {
  const { schema, data, lang, busy, onChange, onBack, onConfirm } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: "start" });
  }, []);
  const answers = listAnswers(schema, data, lang);
  const sections: { title: string; answers: Answer[] }[] = [];
  for (const answer of answers) {
    const last = sections[sections.length - 1];
    if (last && last.title === answer.section) last.answers.push(answer);
    else sections.push({ title: answer.section, answers: [answer] });
  }
  return (
    <section className="bk-check" data-testid="check-answers" aria-labelledby="check-answers-title">
      <h1 id="check-answers-title" tabIndex={-1} ref={heading}>
        {FORM_TEXT.checkTitle[lang]}
      </h1>
      <p className="bk-muted">{FORM_TEXT.checkLead[lang]}</p>
      {answers.length === 0 ? <p>{FORM_TEXT.noAnswers[lang]}</p> : null}
      {sections.map((section, i) => (
        <div key={`${i}-${section.title}`} className="bk-check-section">
          {section.title ? <h2>{section.title}</h2> : null}
          <dl className="bk-summary-list">
            {section.answers.map((answer) => (
              <div className="bk-summary-row" key={answer.pointer} data-answer={answer.pointer}>
                <dt>{answer.title}</dt>
                <dd className="bk-summary-value">
                  {answer.files
                    ? answer.files.map((file) => (
                        <div key={file} className="bk-summary-file">
                          <FileName value={file} lang={lang} />
                        </div>
                      ))
                    : answer.lines?.map((line, j) => <div key={j}>{line}</div>)}
                </dd>
                <dd className="bk-summary-action">
                  <a
                    href={`#${fieldIdOf(answer.pointer)}`}
                    data-testid={`change-${answer.pointer}`}
                    onClick={(event) => {
                      event.preventDefault();
                      onChange(answer.pointer);
                    }}
                  >
                    {FORM_TEXT.change[lang]}
                    <span className="bk-visually-hidden"> {answer.title}</span>
                  </a>
                </dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
      <div className="bk-form-buttons">
        <button className="bk-button" type="button" disabled={busy} onClick={onConfirm} data-testid="confirm-submit">
          {FORM_TEXT.confirm[lang]}
        </button>
        <button className="bk-button secondary" type="button" disabled={busy} onClick={onBack} data-testid="back-to-form">
          {FORM_TEXT.backToForm[lang]}
        </button>
      </div>
    </section>
  );
}
