import { useEffect, useRef } from "react";
import type { Lang } from "~/core/text";
import { fieldIdOf, focusField } from "./field-focus";
import { FORM_TEXT } from "./form-text";

export type SummaryError = { pointer: string; message: string };

/**
 * GOV.UK Design System's error summary: "มีข้อผิดพลาด / There is a problem" at the top of the page, focused and in
 * view after each failed attempt (`attempt` changes), each error a link that moves focus to its field.
 */
export function ErrorSummary({ errors, lang, attempt }: { errors: SummaryError[]; lang: Lang; attempt: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length === 0 || !ref.current) return;
    ref.current.focus({ preventScroll: true });
    ref.current.scrollIntoView({ block: "start" });
    // Only a new attempt moves focus; an edit that changes the list does not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);
  if (errors.length === 0) return null;
  return (
    <div className="bk-error-summary" tabIndex={-1} ref={ref} data-testid="error-summary">
      <div role="alert">
        <h2 id="error-summary-title">{FORM_TEXT.problem[lang]}</h2>
        <ul>
          {errors.map((error) => (
            <li key={error.pointer}>
              <a
                href={`#${fieldIdOf(error.pointer)}`}
                data-pointer={error.pointer}
                onClick={(event) => {
                  if (focusField(error.pointer)) event.preventDefault();
                }}
              >
                {error.message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
