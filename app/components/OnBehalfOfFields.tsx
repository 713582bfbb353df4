import type { FieldError } from "~/core/forms/form-validation";
import { pick, type Lang, type LocalizedText } from "~/core/text";
import { formatJuristicId } from "~/core/thai/juristic-id";
import { ON_BEHALF_OF_TEXT as T } from "~/i18n/on-behalf-of-resources";

export type OnBehalfOfInput = { kind: "self" } | { kind: "juristic"; juristicId: string; name: string };

/**
 * "Applying for a company": GOV.UK radios (for myself / for a company) with the company's registration number
 * and name revealed under the second choice. The server checks both; its errors come back by pointer.
 */
export function OnBehalfOfFields({ value, onChange, errors, lang }: { value: OnBehalfOfInput; onChange: (value: OnBehalfOfInput) => void; errors: FieldError[]; lang: Lang }) {
  const t = (text: LocalizedText) => pick(text, lang);
  const errorOf = (pointer: string) => errors.find((e) => e.pointer === pointer);
  const company = value.kind === "juristic" ? value : { kind: "juristic" as const, juristicId: "", name: "" };
  const text = (key: "juristicId" | "name", label: LocalizedText, hint: LocalizedText) => {
    const id = `on-behalf-of-${key}`;
    const error = errorOf(`/onBehalfOf/${key}`);
    return (
      <div className={`bk-field${error ? " bk-field-error" : ""}`} style={{ display: "grid", gap: 4 }}>
        <label htmlFor={id} style={{ fontWeight: 600 }}>{t(label)}</label>
        <span id={`${id}-hint`} className="bk-hint">{t(hint)}</span>
        {error ? <span id={`${id}-error`} className="bk-error-message" data-testid={`${id}-error`}>{t(error.message)}</span> : null}
        <input
          id={id}
          data-testid={id}
          value={company[key]}
          inputMode={key === "juristicId" ? "numeric" : undefined}
          placeholder={key === "juristicId" ? "x-xxxx-xxxxx-xx-x" : undefined}
          maxLength={key === "juristicId" ? 17 : 200}
          aria-invalid={error ? true : undefined}
          aria-describedby={[`${id}-hint`, error ? `${id}-error` : ""].join(" ").trim()}
          onChange={(e) => onChange({ ...company, [key]: key === "juristicId" ? formatJuristicId(e.target.value.replace(/\D/g, "").slice(0, 13)) : e.target.value })}
          style={key === "juristicId" ? { maxWidth: "14em" } : undefined}
        />
      </div>
    );
  };
  const radio = (kind: "self" | "juristic", label: LocalizedText) => (
    <label style={{ display: "flex", gap: 8, alignItems: "center", fontWeight: 400 }}>
      <input type="radio" name="on-behalf-of" value={kind} checked={value.kind === kind} data-testid={`on-behalf-of-${kind}`} onChange={() => onChange(kind === "self" ? { kind: "self" } : company)} />
      {t(label)}
    </label>
  );
  return (
    <fieldset className="bk-card" data-testid="on-behalf-of" aria-describedby="on-behalf-of-hint" style={{ marginBottom: 16, display: "grid", gap: 10 }}>
      <legend style={{ fontWeight: 700, padding: "0 4px" }}>{t(T.legend)}</legend>
      <span id="on-behalf-of-hint" className="bk-hint">{t(T.hint)}</span>
      {radio("self", T.self)}
      {radio("juristic", T.juristic)}
      {value.kind === "juristic" ? (
        <div style={{ display: "grid", gap: 12, borderLeft: "4px solid #b1b4b6", paddingLeft: 14 }}>
          {text("juristicId", T.juristicId, T.juristicIdHint)}
          {text("name", T.name, T.nameHint)}
        </div>
      ) : null}
    </fieldset>
  );
}
