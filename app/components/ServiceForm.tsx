import Form, { type IChangeEvent } from "@rjsf/core";
import type { ErrorSchema, RJSFSchema, UiSchema } from "@rjsf/utils";
import { useMemo, useState } from "react";
import { declaredDataCheck, formValidator, friendlyErrors, localizeSchema, localizeUiSchema, onePerField, pointerFromProperty, type FieldError } from "~/core/forms/form-validation";
import { parsePointer } from "~/core/json-pointer";
import type { Lang } from "~/core/text";
import { errorTemplates } from "./form/error-templates";
import type { SummaryError } from "./form/ErrorSummary";
import { thaiFields, thaiWidgets } from "./form/thai-widgets";
import { uploadWidgets, type UploadFormContext } from "./form/UploadWidget";

const widgets = { ...thaiWidgets, ...uploadWidgets };

/** Server errors (JSON pointers) as the error schema RJSF shows beside each field. */
export function toErrorSchema(errors: FieldError[] | undefined, lang: Lang): ErrorSchema | undefined {
  if (!errors || errors.length === 0) return undefined;
  const root: Record<string, unknown> = {};
  for (const error of errors) {
    let node = root;
    for (const key of parsePointer(error.pointer)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    const list = (node.__errors as string[] | undefined) ?? [];
    node.__errors = [...list, error.message[lang]];
  }
  return root as ErrorSchema;
}

type Props = {
  schema: RJSFSchema;
  uiSchema: UiSchema;
  lang: Lang;
  formData: unknown;
  serverErrors?: FieldError[];
  disabled?: boolean;
  onSubmit: (formData: unknown) => void;
  onChange?: (formData: unknown) => void;
  /** Called with the browser's validation errors when a submission is stopped (for the page's error summary). */
  onErrors?: (errors: SummaryError[]) => void;
  children?: React.ReactNode;
  /** Where file fields upload to; without it (the studio's preview and simulator) they do not upload. */
  uploads?: UploadFormContext["uploads"];
};

/** The generated form: RJSF with the Thai widgets, validated live by the same ajv setup the server uses. */
export function ServiceForm({ schema, uiSchema, lang, formData, serverErrors, disabled, onSubmit, onChange, onErrors, children, uploads }: Props) {
  const localized = useMemo(() => localizeSchema(schema, lang), [schema, lang]);
  const localizedUi = useMemo(
    () => ({ ...localizeUiSchema(schema, uiSchema, lang), "ui:submitButtonOptions": { norender: true } }),
    [schema, uiSchema, lang],
  );
  const [data, setData] = useState(formData);
  const extraErrors = useMemo(() => toErrorSchema(serverErrors, lang), [serverErrors, lang]);
  return (
    <div className="bk-form">
      <Form
        schema={localized}
        uiSchema={localizedUi}
        formData={data}
        validator={formValidator(lang)}
        widgets={widgets}
        fields={thaiFields}
        templates={errorTemplates}
        // A `const` (the consent box's `const: true`) must not become a default: consent is the person's own act.
        experimental_defaultFormStateBehavior={{ constAsDefaults: "never" }}
        formContext={{ lang, uploads } satisfies UploadFormContext}
        extraErrors={extraErrors}
        showErrorList={false}
        transformErrors={friendlyErrors(lang, schema) as never}
        // Only declared data: fields the form does not show are dropped as the citizen types (same rule as the server).
        omitExtraData
        liveOmit="onChange"
        customValidate={declaredDataCheck(lang, schema) as never}
        noHtml5Validate
        disabled={disabled}
        onChange={(event: IChangeEvent) => {
          setData(event.formData);
          onChange?.(event.formData);
        }}
        onSubmit={(event: IChangeEvent) => onSubmit(event.formData)}
        onError={(errors) =>
          onErrors?.(
            onePerField(errors.map((e) => ({ pointer: pointerFromProperty(e.property), message: { th: e.message ?? "", en: e.message ?? "" } }))).map((e) => ({
              pointer: e.pointer,
              message: e.message[lang],
            })),
          )
        }
      >
        {children}
      </Form>
    </div>
  );
}
