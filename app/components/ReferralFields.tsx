import { useEffect, useRef } from "react";
import type { FieldError } from "~/core/forms/form-validation";
import { pick, type Lang, type LocalizedText } from "~/core/text";
import { REFERRAL_FIELD_IDS, REFERRAL_TEXT as T } from "~/i18n/referral-resources";

export type ReferralValues = { referKind?: string; agencyId?: string; nameTh?: string; nameEn?: string; address?: string };

/** Whether a server error belongs to the referral form (its pointers name the event data it sends). */
export const isReferralError = (e: FieldError) => e.pointer in REFERRAL_FIELD_IDS;

/**
 * The referral form's fields (s.10), inside the event's own <Form>: an agency on the platform from a list, or
 * the name (and address) of one that is not. Works without JavaScript: both choices are always shown. Errors
 * come as a GOV.UK error summary linking to each field, and beside the field.
 */
export function ReferralFields({
  agencies,
  lang,
  errors,
  values,
}: {
  agencies: { id: string; name: LocalizedText }[];
  lang: Lang;
  errors: FieldError[];
  values?: ReferralValues;
}) {
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length > 0) summaryRef.current?.focus();
  }, [errors]);
  const errorOf = (pointer: string) => errors.find((e) => e.pointer === pointer);
  const fieldClass = (pointer: string) => `bk-field bk-referral-field${errorOf(pointer) ? " bk-field-error" : ""}`;
  const message = (pointer: string) => {
    const error = errorOf(pointer);
    return error ? <span className="bk-error-message" id={`${REFERRAL_FIELD_IDS[pointer]}-error`}>{pick(error.message, lang)}</span> : null;
  };
  const describedBy = (pointer: string) => (errorOf(pointer) ? `${REFERRAL_FIELD_IDS[pointer]}-error` : undefined);
  const kind = values?.referKind ?? "";
  return (
    <div className="bk-referral" data-testid="referral-form">
      {errors.length > 0 ? (
        <div className="bk-error-summary" role="alert" tabIndex={-1} ref={summaryRef} data-testid="referral-errors">
          <h3>{pick(T.errorSummary, lang)}</h3>
          <ul>
            {errors.map((e) => (
              <li key={e.pointer}>
                <a href={`#${REFERRAL_FIELD_IDS[e.pointer]}`}>{pick(e.message, lang)}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <fieldset style={{ border: 0, padding: 0, margin: "0 0 12px" }} aria-describedby="referral-hint">
        <legend><strong>{pick(T.legend, lang)}</strong></legend>
        <p className="bk-hint" id="referral-hint" style={{ fontSize: ".9rem" }}>{pick(T.hint, lang)}</p>
        <label style={{ display: "flex", gap: 6 }}>
          <input type="radio" name="referKind" value="platform" defaultChecked={kind !== "external"} data-testid="refer-platform" /> {pick(T.platform, lang)}
        </label>
        <div className={fieldClass("/agencyId")} style={{ marginLeft: 24 }}>
          <label htmlFor="referral-agency">{pick(T.agency, lang)}</label>
          {message("/agencyId")}
          <select id="referral-agency" name="agencyId" defaultValue={values?.agencyId ?? ""} aria-describedby={describedBy("/agencyId")} style={{ maxWidth: "100%" }}>
            <option value="">{pick(T.choose, lang)}</option>
            {agencies.map((a) => (
              <option key={a.id} value={a.id}>{pick(a.name, lang)}</option>
            ))}
          </select>
        </div>
        <label style={{ display: "flex", gap: 6, marginTop: 8 }}>
          <input type="radio" name="referKind" value="external" defaultChecked={kind === "external"} data-testid="refer-external" /> {pick(T.external, lang)}
        </label>
        <div style={{ marginLeft: 24 }}>
          <div className={fieldClass("/agencyName/th")}>
            <label htmlFor="referral-name-th">{pick(T.nameTh, lang)}</label>
            {message("/agencyName/th")}
            <input id="referral-name-th" name="agencyNameTh" defaultValue={values?.nameTh ?? ""} aria-describedby={describedBy("/agencyName/th")} />
          </div>
          <div className={fieldClass("/agencyName/en")}>
            <label htmlFor="referral-name-en">{pick(T.nameEn, lang)}</label>
            {message("/agencyName/en")}
            <input id="referral-name-en" name="agencyNameEn" lang="en" defaultValue={values?.nameEn ?? ""} aria-describedby={describedBy("/agencyName/en")} />
          </div>
          <div className={fieldClass("/address")}>
            <label htmlFor="referral-address">{pick(T.address, lang)}</label>
            {message("/address")}
            <textarea id="referral-address" name="address" rows={2} defaultValue={values?.address ?? ""} aria-describedby={describedBy("/address")} />
          </div>
        </div>
      </fieldset>
    </div>
  );
}
