import { parsePointer } from "~/core/json-pointer";

/** The DOM id RJSF gives the field at a JSON pointer ("/applicant/fullName" → "root_applicant_fullName"). */
export function fieldIdOf(pointer: string): string {
  if (pointer.startsWith("/onBehalfOf/")) return `on-behalf-of-${pointer.slice("/onBehalfOf/".length)}`;
  return ["root", ...parsePointer(pointer)].join("_");
}

/**
 * The control to focus for a field: the field itself, the first option of a radio group, the first part of an
 * address, the file input or remove button of an upload — else the nearest enclosing field that exists.
 */
export function findFieldControl(pointer: string, doc: Document = document): HTMLElement | null {
  let parts = pointer.startsWith("/onBehalfOf/") ? null : parsePointer(pointer);
  if (parts === null) return doc.getElementById(fieldIdOf(pointer));
  for (; parts.length >= 0; parts = parts.slice(0, -1)) {
    const id = ["root", ...parts].join("_");
    const here = "/" + parts.join("/");
    const candidates = [
      doc.getElementById(id),
      doc.getElementById(`${id}-0`),
      doc.getElementById(`${id}_line`),
      doc.getElementById(`${id}_province`),
      doc.querySelector<HTMLElement>(`[data-testid="upload-input-${CSS.escape(here)}"] input, [data-testid="upload-input-${CSS.escape(here)}"] button`),
    ];
    const found = candidates.find((el): el is HTMLElement => el instanceof HTMLElement && !(el instanceof HTMLFieldSetElement));
    if (found) return found;
    if (parts.length === 0) break;
  }
  return null;
}

/** Moves focus to a field (GOV.UK error summary links): the control, scrolled so its label shows too. */
export function focusField(pointer: string): boolean {
  const control = findFieldControl(pointer);
  if (!control) return false;
  control.focus({ preventScroll: true });
  const label = control.closest(".form-group, .bk-address, fieldset") ?? control;
  label.scrollIntoView({ block: "center" });
  return true;
}
