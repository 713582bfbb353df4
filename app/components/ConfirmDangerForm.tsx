import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { CsrfField } from "./CsrfField";

/** The GOV.UK "are you sure" step before an action that cannot be undone (delete, revoke): red button, a way back. */
export function ConfirmDangerForm(props: { testId: string; id: string; question: ReactNode; intent: string; confirmLabel: string; cancelLabel: string }) {
  return (
    <Form method="post" className="bk-card" data-testid={props.testId} style={{ display: "grid", gap: 10 }}>
      <CsrfField />
      <input type="hidden" name="id" value={props.id} />
      <p>
        <strong>{props.question}</strong>
      </p>
      <div style={{ display: "flex", gap: 12, flexWrap: "wrap", alignItems: "center" }}>
        <button className="bk-button" style={{ background: "#d4351c" }} type="submit" name="intent" value={props.intent} data-testid={`${props.testId}-button`}>
          {props.confirmLabel}
        </button>
        <Link to="?">{props.cancelLabel}</Link>
      </div>
    </Form>
  );
}
