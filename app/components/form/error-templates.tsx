import { getDefaultRegistry } from "@rjsf/core";
import { errorId, type FieldErrorProps, type FieldTemplateProps } from "@rjsf/utils";
import { useEffect, useRef } from "react";
import type { Lang } from "~/core/text";
import { FORM_TEXT } from "./form-text";

const BaseFieldTemplate = getDefaultRegistry().templates.FieldTemplate;

const langOf = (registry: { formContext?: unknown }): Lang => ((registry.formContext as { lang?: Lang } | undefined)?.lang === "en" ? "en" : "th");

/**
 * GOV.UK's error message: the words say what to do, under the label and above the control, with a hidden
 * "ข้อผิดพลาด: / Error:" for screen readers. Its id is the one RJSF's widgets already name in aria-describedby.
 */
export function FieldErrorTemplate({ errors = [], fieldPathId, registry }: FieldErrorProps) {
  const shown = errors.filter((e) => typeof e === "string" ? e.trim() !== "" : Boolean(e));
  if (shown.length === 0) return null;
  return (
    <p id={errorId(fieldPathId)} className="bk-error-message error-detail" data-testid="field-error">
      <span className="bk-visually-hidden">{FORM_TEXT.errorPrefix[langOf(registry)]} </span>
      {shown.map((e, i) => (
        <span key={i}>{i > 0 ? " " : null}{e}</span>
      ))}
    </p>
  );
}

const CONTROLS = "input:not([type=hidden]), select, textarea";

/**
 * RJSF's own field template, plus `aria-invalid="true"` on the field's controls while it has errors and its error
 * message in their `aria-describedby` (RJSF's widgets do not set the first; ours do not all name the second).
 */
export function FieldTemplate(props: FieldTemplateProps) {
  const ref = useRef<HTMLDivElement>(null);
  const invalid = (props.rawErrors?.filter(Boolean).length ?? 0) > 0;
  const leaf = props.schema.type !== "object" || props.schema.format === "thai-address";
  const messageId = errorId(props.id);
  useEffect(() => {
    if (!leaf || !ref.current) return;
    for (const control of Array.from(ref.current.querySelectorAll<HTMLElement>(CONTROLS))) {
      const described = (control.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
      if (invalid) {
        control.setAttribute("aria-invalid", "true");
        control.dataset.bkInvalid = "1";
        if (!described.includes(messageId)) control.setAttribute("aria-describedby", [messageId, ...described].join(" "));
      } else if (control.dataset.bkInvalid) {
        control.removeAttribute("aria-invalid");
        delete control.dataset.bkInvalid;
      }
    }
  });
  return (
    <div ref={ref} className="bk-field-slot">
      <BaseFieldTemplate {...props} classNames={[props.classNames, invalid && leaf ? "bk-field-error" : ""].filter(Boolean).join(" ")} />
    </div>
  );
}

export const errorTemplates = { FieldTemplate, FieldErrorTemplate };
