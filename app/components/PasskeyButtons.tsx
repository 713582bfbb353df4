import { startAuthentication, startRegistration } from "@simplewebauthn/browser";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useFetcher, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useFormToken } from "./CsrfField";

type Words = { button: string; failed: string; nameMissing?: string };

/** The browser said no (cancelled, timed out, no matching passkey): say so beside the button. */
function PasskeyProblem({ text }: { text: string | null }) {
  return text ? <p className="bk-error-message" role="alert" data-testid="passkey-problem">{text}</p> : null;
}

/**
 * Sign-in second step: asks the browser for an assertion on the server's challenge and posts it
 * (`intent=passkey`, `response` = the JSON) to the page's action.
 */
// Options arrive as loader/action JSON, which Remix types as "Jsonified": the same shape, so they are cast back.
export function PasskeySignInButton({ options, words }: { options: object; words: Words }) {
  const submit = useSubmit();
  const token = useFormToken();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const use = async () => {
    setProblem(null);
    setBusy(true);
    try {
      const response = await startAuthentication({ optionsJSON: options as PublicKeyCredentialRequestOptionsJSON });
      submit({ intent: "passkey", response: JSON.stringify(response), ...(token ? { _csrf: token } : {}) }, { method: "post" });
    } catch {
      setProblem(words.failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <button className="bk-button" type="button" onClick={() => void use()} disabled={busy} data-testid="use-passkey">{words.button}</button>
      <PasskeyProblem text={problem} />
    </div>
  );
}

/**
 * Enrolment: asks the page's action for registration options (`intent=passkeyOptions`), lets the browser make
 * the credential, and posts it with its name (`intent=passkeyRegister`).
 */
export function PasskeyEnrolButton({ words, nameLabel, nameHint }: { words: Words; nameLabel: string; nameHint: string }) {
  const fetcher = useFetcher<{ passkeyOptions?: object }>();
  const submit = useSubmit();
  const token = useFormToken();
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const handled = useRef<unknown>(null);
  const csrf: Record<string, string> = token ? { _csrf: token } : {};
  useEffect(() => {
    const options = fetcher.data?.passkeyOptions;
    if (!options || handled.current === options) return;
    handled.current = options;
    startRegistration({ optionsJSON: options as PublicKeyCredentialCreationOptionsJSON })
      .then((response) => submit({ intent: "passkeyRegister", name, response: JSON.stringify(response), ...csrf }, { method: "post" }))
      .catch(() => setProblem(words.failed));
  });
  return (
    <div style={{ display: "grid", gap: 8 }}>
      <label htmlFor="passkey-name" style={{ fontWeight: 600 }}>{nameLabel}</label>
      <span className="bk-hint" id="passkey-name-hint">{nameHint}</span>
      <input id="passkey-name" name="name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} aria-describedby="passkey-name-hint" />
      <div>
        <button
          className="bk-button"
          type="button"
          data-testid="add-passkey"
          disabled={fetcher.state !== "idle"}
          onClick={() => {
            setProblem(null);
            // Checked before the browser makes a credential, so a refused name leaves no orphan on the device.
            if (!name.trim()) return setProblem(words.nameMissing ?? words.failed);
            fetcher.submit({ intent: "passkeyOptions", ...csrf }, { method: "post" });
          }}
        >
          {words.button}
        </button>
      </div>
      <PasskeyProblem text={problem} />
    </div>
  );
}
