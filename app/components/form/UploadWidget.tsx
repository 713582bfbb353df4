/**
 * The RJSF 6 widget for attachments ("ui:widget": "upload" on a `format: attachment` string, or on an
 * array of them): resumable tus uploads to `/uploads`, stored in the form as "upload:<id>".
 *
 * Server-rendering safe: tus-js-client is imported only when a file is chosen, and the first render
 * uses props alone (no window, no fetched data, no random ids); the name and size of an existing
 * upload are fetched after mount.
 */
import { useEffect, useRef, useState, type ChangeEvent } from "react";
import type { DetailedError, PreviousUpload, Upload } from "tus-js-client";
import { ariaDescribedByIds, type FieldPathId, type Registry, type WidgetProps } from "@rjsf/utils";
import { describeDataUrl } from "~/core/forms/form-fields";
import { toPointer } from "~/core/json-pointer";
import type { Lang, LocalizedText } from "~/core/text";
import {
  acceptAttribute,
  createSpeedEstimator,
  formatBytes,
  formatSpeed,
  formatTimeLeft,
  guessMimeType,
  isRetryableStatus,
  limitsHint,
  parseUploadError,
  percentOf,
  pointerFromFieldId,
  preCheckFile,
  secondsLeft,
  uploadIdFromUrl,
  uploadIdOf,
  type UploadLimits,
} from "~/core/uploads/upload-format";

/** What the form context carries for uploads; without `uploads` (studio preview, simulator) nothing is sent. */
export type UploadFormContext = { lang?: Lang; uploads?: { service: string; caseId?: string } };
type UploadsContext = NonNullable<UploadFormContext["uploads"]>;

const ENDPOINT = "/uploads";
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];
// Bounded PATCH requests: a proxy's body limit or a dropped connection then costs one chunk at most.
const CHUNK_SIZE = 50 * 1024 * 1024;
const RENDER_EVERY_MS = 250;

const TEXT = {
  th: {
    previewOnly: "การแนบไฟล์ใช้ได้ในแบบฟอร์มจริงเท่านั้น ในหน้าตัวอย่างยังอัปโหลดไฟล์ไม่ได้",
    preparing: "กำลังเตรียมอัปโหลด…",
    uploading: "กำลังอัปโหลด",
    paused: "หยุดชั่วคราว",
    pause: "หยุดชั่วคราว",
    resume: "อัปโหลดต่อ",
    retry: "ลองอีกครั้ง",
    cancel: "ยกเลิก",
    remove: "ลบไฟล์",
    retrying: "การเชื่อมต่อขาดหาย — กำลังลองใหม่…",
    offline: "ไม่มีการเชื่อมต่ออินเทอร์เน็ต จะอัปโหลดต่อเมื่อกลับมาออนไลน์",
    resuming: "อัปโหลดต่อจากครั้งก่อน",
    resumedFrom: (percent: number) => `อัปโหลดต่อจาก ${percent}%`,
    of: "จาก",
    speed: "ความเร็ว",
    timeLeft: "เวลาที่เหลือ",
    progressOf: (name: string) => `ความคืบหน้าการอัปโหลด ${name}`,
    uploaded: "แนบไฟล์แล้ว",
    file: "ไฟล์",
    infoFailed: "ดูรายละเอียดไฟล์ไม่ได้",
    notComplete: "ไฟล์นี้ยังอัปโหลดไม่ครบ กรุณาลบแล้วเลือกไฟล์ใหม่",
    loadFailed: "โหลดตัวอัปโหลดไม่สำเร็จ กรุณารีเฟรชหน้าแล้วลองใหม่",
    addFile: "เพิ่มไฟล์",
    maxFiles: (n: number) => `แนบได้สูงสุด ${n} ไฟล์`,
  },
  en: {
    previewOnly: "Attachments work in the real form; they cannot be uploaded in this preview.",
    preparing: "Preparing the upload…",
    uploading: "Uploading",
    paused: "Paused",
    pause: "Pause",
    resume: "Resume",
    retry: "Try again",
    cancel: "Cancel",
    remove: "Remove",
    retrying: "Connection lost — retrying…",
    offline: "No internet connection. The upload will continue when you are back online.",
    resuming: "Resuming the earlier upload",
    resumedFrom: (percent: number) => `Resuming from ${percent}%`,
    of: "of",
    speed: "Speed",
    timeLeft: "Time left",
    progressOf: (name: string) => `Upload progress of ${name}`,
    uploaded: "Attached",
    file: "File",
    infoFailed: "File details unavailable",
    notComplete: "This file was not fully uploaded. Please remove it and choose the file again.",
    loadFailed: "Could not load the uploader. Please reload the page and try again.",
    addFile: "Add a file",
    maxFiles: (n: number) => `Up to ${n} files`,
  },
};

type FileInfo = { name: string; size: number; type?: string; complete?: boolean };

/**
 * Name and size of uploads this page has already seen (finished here or fetched), so an item that
 * moves or remounts does not ask the server again. Written only in the browser, after mount.
 */
const knownUploads = new Map<string, FileInfo>();

/** The name of a file this page has uploaded or looked up (for "check your answers"); undefined when not known. */
export function knownUploadName(id: string): string | undefined {
  return knownUploads.get(id)?.name;
}

function langOf(registry: Registry): Lang {
  return (registry.formContext as UploadFormContext | undefined)?.lang === "en" ? "en" : "th";
}

/**
 * The field's JSON pointer. RJSF 6.11 gives a widget its id ("root_documents_plans_0") but not the
 * FieldPathId its field holds, so the id is mapped back onto the schema's property names; a future
 * `fieldPathId` prop wins when present.
 */
export function fieldPointerOf(props: Pick<WidgetProps, "id" | "registry"> & { fieldPathId?: FieldPathId }): string {
  if (Array.isArray(props.fieldPathId?.path)) return toPointer(props.fieldPathId.path);
  const options = props.registry.globalFormOptions;
  return pointerFromFieldId(props.id, props.registry.rootSchema, options?.idPrefix ?? "root", options?.idSeparator ?? "_");
}

function limitsOf(schema: unknown): UploadLimits | undefined {
  const raw = (schema as { "x-upload"?: unknown } | undefined)?.["x-upload"];
  if (!raw || typeof raw !== "object") return undefined;
  const { maxBytes, types } = raw as { maxBytes?: unknown; types?: unknown };
  return {
    ...(typeof maxBytes === "number" && maxBytes > 0 ? { maxBytes } : {}),
    ...(Array.isArray(types) ? { types: types.filter((t): t is string => typeof t === "string") } : {}),
  };
}

const cx = (...names: (string | false | undefined | null)[]) => names.filter(Boolean).join(" ");

type Transfer = {
  status: "preparing" | "uploading" | "paused" | "failed";
  name: string;
  sent: number;
  total: number;
  speed: number | null;
  retrying: boolean;
  /** Set when an earlier upload of the same file is continued; the percent once known. */
  resumed: { percent: number | null } | null;
  /** A failure tus-js-client gave up retrying (network, 5xx): the Resume button tries again. */
  error: LocalizedText | null;
};

type SlotProps = {
  id: string;
  pointer: string;
  value: unknown;
  limits: UploadLimits | undefined;
  lang: Lang;
  uploads: UploadsContext | undefined;
  locked: boolean;
  required?: boolean;
  autofocus?: boolean;
  describedBy?: string;
  /** For array items, which the field's own <label> does not point at. */
  ariaLabel?: string;
  onValue: (value: string | undefined) => void;
  onBlur?: () => void;
  onFocus?: () => void;
};

/** Status of a tus error, undefined when there was no HTTP response (network). */
const statusOf = (err: Error | DetailedError) => ("originalResponse" in err ? (err.originalResponse?.getStatus() ?? undefined) : undefined);
const bodyOf = (err: Error | DetailedError) => ("originalResponse" in err ? (err.originalResponse?.getBody() ?? undefined) : undefined);
const isHttpError = (err: Error | DetailedError) => "originalRequest" in err && Boolean(err.originalRequest);

/** One file: choose → upload (pause/resume/cancel) → done (remove). */
function FileSlot({ id, pointer, value, limits, lang, uploads, locked, required, autofocus, describedBy, ariaLabel, onValue, onBlur, onFocus }: SlotProps) {
  const text = TEXT[lang];
  const [transfer, setTransfer] = useState<Transfer | null>(null);
  const [notice, setNotice] = useState<LocalizedText | null>(null);
  const [offline, setOffline] = useState(false);
  const doneId = uploadIdOf(value);
  const [info, setInfo] = useState<{ id: string; info: FileInfo | null } | null>(null);

  const uploadRef = useRef<Upload | null>(null);
  const pausedRef = useRef(false);
  // Bumped by every choice and every cancel: an older begin() that is still awaiting then stops.
  const attemptRef = useRef(0);
  const mountedRef = useRef(false);
  const estimator = useRef(createSpeedEstimator());
  const lastRender = useRef(0);
  // Callbacks created when an upload starts must reach the latest props (the array around may change).
  const onValueRef = useRef(onValue);
  onValueRef.current = onValue;
  const transferRef = useRef(transfer);
  transferRef.current = transfer;

  useEffect(() => {
    mountedRef.current = true;
    return () => {
      mountedRef.current = false;
      // Leaving the page section stops the transfer; the stored fingerprint lets it resume later.
      const upload = uploadRef.current;
      uploadRef.current = null;
      if (upload) upload.abort(false).catch(() => undefined);
    };
  }, []);

  // Name and size of an existing "upload:<id>" value, after mount only.
  const cached = doneId ? knownUploads.get(doneId) : undefined;
  const shownInfo = doneId && info?.id === doneId ? info.info : null;
  const needsInfo = Boolean(doneId && uploads && !cached && info?.id !== doneId);
  useEffect(() => {
    if (!needsInfo || !doneId) return;
    let live = true;
    fetch(`/api/v1/uploads/${encodeURIComponent(doneId)}`, { headers: { Accept: "application/json" } })
      .then((res) => (res.ok ? (res.json() as Promise<{ name?: unknown; size?: unknown; type?: unknown; status?: unknown }>) : Promise.reject(new Error(String(res.status)))))
      .then(
        (body) => {
          const found: FileInfo = {
            name: typeof body.name === "string" ? body.name : doneId,
            size: typeof body.size === "number" ? body.size : NaN,
            type: typeof body.type === "string" ? body.type : undefined,
            complete: body.status === undefined || body.status === "complete",
          };
          if (found.complete) knownUploads.set(doneId, found);
          if (live) setInfo({ id: doneId, info: found });
        },
        () => live && setInfo({ id: doneId, info: null }),
      );
    return () => {
      live = false;
    };
  }, [needsInfo, doneId]);

  // Browsers say when the network goes and comes back: show it, and pick up a failed transfer.
  const active = transfer !== null;
  useEffect(() => {
    if (!active) return;
    const goneOffline = () => setOffline(true);
    const backOnline = () => {
      setOffline(false);
      const current = transferRef.current;
      if (current?.status === "failed" && uploadRef.current) resume();
    };
    setOffline(typeof navigator !== "undefined" && navigator.onLine === false);
    window.addEventListener("offline", goneOffline);
    window.addEventListener("online", backOnline);
    return () => {
      window.removeEventListener("offline", goneOffline);
      window.removeEventListener("online", backOnline);
    };
    // resume only reads refs and stable setters
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  const patch = (next: Partial<Transfer>) => setTransfer((t) => (t ? { ...t, ...next } : t));

  async function begin(file: File, ctx: UploadsContext) {
    const attempt = ++attemptRef.current;
    const current = () => mountedRef.current && attemptRef.current === attempt;
    setNotice(null);
    const problem = preCheckFile(file, limits);
    if (problem) {
      setNotice(problem.message);
      return;
    }
    setTransfer({ status: "preparing", name: file.name, sent: 0, total: file.size, speed: null, retrying: false, resumed: null, error: null });
    pausedRef.current = false;
    estimator.current.reset();

    let tus: typeof import("tus-js-client");
    try {
      tus = await import("tus-js-client");
    } catch {
      if (!current()) return;
      setTransfer(null);
      setNotice({ th: TEXT.th.loadFailed, en: TEXT.en.loadFailed });
      return;
    }
    if (!current()) return;

    const metadata: Record<string, string> = { filename: file.name, filetype: guessMimeType(file), service: ctx.service, field: pointer };
    if (ctx.caseId) metadata.case = ctx.caseId;
    let awaitingResumePercent = false;

    const upload: Upload = new tus.Upload(file, {
      endpoint: ENDPOINT,
      retryDelays: RETRY_DELAYS,
      chunkSize: CHUNK_SIZE,
      metadata,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress(sent, total) {
        if (uploadRef.current !== upload || pausedRef.current) return;
        const now = Date.now();
        estimator.current.add(sent, now);
        const resumedPercent = awaitingResumePercent ? percentOf(sent, total) : null;
        awaitingResumePercent = false;
        if (resumedPercent === null && sent < total && now - lastRender.current < RENDER_EVERY_MS) return;
        lastRender.current = now;
        setTransfer((t) =>
          t
            ? {
                ...t,
                status: "uploading",
                sent,
                total,
                speed: estimator.current.bytesPerSecond(),
                retrying: false,
                error: null,
                resumed: t.resumed && resumedPercent !== null && t.resumed.percent === null ? { percent: resumedPercent } : t.resumed,
              }
            : t,
        );
      },
      onChunkComplete() {
        if (uploadRef.current === upload) patch({ retrying: false });
      },
      onShouldRetry(err) {
        const status = statusOf(err);
        const retry = isHttpError(err) && isRetryableStatus(status);
        if (retry && uploadRef.current === upload && !pausedRef.current) {
          estimator.current.reset(); // the dead time must not drag the speed down afterwards
          patch({ retrying: true, speed: null });
        }
        return retry;
      },
      onSuccess() {
        if (uploadRef.current !== upload) return;
        uploadRef.current = null;
        const uploadId = uploadIdFromUrl(upload.url ?? "");
        const done: FileInfo = { name: file.name, size: file.size, type: metadata.filetype, complete: true };
        knownUploads.set(uploadId, done);
        setTransfer(null);
        setInfo({ id: uploadId, info: done });
        onValueRef.current(`upload:${uploadId}`);
      },
      onError(err) {
        if (uploadRef.current !== upload) return;
        const status = statusOf(err);
        const message = parseUploadError(status, bodyOf(err));
        if (isHttpError(err) && isRetryableStatus(status)) {
          // Out of retries on a network or server failure: keep the upload for Resume / back online.
          patch({ status: "failed", retrying: false, speed: null, error: message });
          return;
        }
        // A refusal (400/401/403/404/413/415 …): the server's words, and nothing left to resume.
        uploadRef.current = null;
        setTransfer(null);
        setNotice(message);
      },
    });
    uploadRef.current = upload;

    let previous: PreviousUpload[] = [];
    try {
      previous = await upload.findPreviousUploads();
    } catch {
      previous = []; // no storage (private mode): start afresh
    }
    // The same file chosen for another field or application is a different upload.
    const same = previous
      .filter((p) => p.uploadUrl && p.metadata.field === pointer && p.metadata.service === ctx.service && (p.metadata.case ?? "") === (ctx.caseId ?? ""))
      .sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime));
    if (same[0]) {
      upload.resumeFromPreviousUpload(same[0]);
      awaitingResumePercent = true;
      let percent: number | null = null;
      try {
        const res = await fetch(`/api/v1/uploads/${encodeURIComponent(uploadIdFromUrl(same[0].uploadUrl!))}`, { headers: { Accept: "application/json" } });
        if (res.ok) {
          const body = (await res.json()) as { offset?: unknown; size?: unknown };
          if (typeof body.offset === "number" && typeof body.size === "number") {
            percent = percentOf(body.offset, body.size);
            awaitingResumePercent = false;
          }
        }
      } catch {
        // the first progress event tells the percent instead
      }
      if (uploadRef.current === upload) patch({ resumed: { percent } });
    }
    if (uploadRef.current !== upload || !current() || pausedRef.current) return; // cancelled meanwhile
    patch({ status: "uploading" });
    upload.start();
  }

  function pause() {
    const upload = uploadRef.current;
    if (!upload) return;
    pausedRef.current = true;
    patch({ status: "paused", speed: null, retrying: false });
    upload.abort(false).catch(() => undefined);
  }

  function resume() {
    const upload = uploadRef.current;
    if (!upload) return;
    pausedRef.current = false;
    estimator.current.reset();
    patch({ status: "uploading", error: null, retrying: false, speed: null });
    upload.start();
  }

  function cancel() {
    attemptRef.current++;
    const upload = uploadRef.current;
    uploadRef.current = null;
    pausedRef.current = false;
    setTransfer(null);
    setNotice(null);
    onValueRef.current(undefined);
    // Deletes the partial upload on the server and forgets its fingerprint.
    if (upload) upload.abort(true).catch(() => undefined);
  }

  function remove() {
    setNotice(null);
    setInfo(null);
    onValueRef.current(undefined);
  }

  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ""; // choosing the same file again must fire change again
    if (!file || !uploads) return;
    begin(file, uploads).catch(() => {
      setTransfer(null);
      setNotice({ th: TEXT.th.loadFailed, en: TEXT.en.loadFailed });
    });
  };

  const hint = limitsHint(limits, lang);
  const hintId = `${id}__hint`;
  const alert = notice ? (
    <p className="bk-alert error bk-up-error" role="alert" data-testid="upload-error">
      {notice[lang]}
    </p>
  ) : null;

  let body: JSX.Element;
  if (transfer) {
    const percent = percentOf(transfer.sent, transfer.total);
    const eta = formatTimeLeft(secondsLeft(transfer.sent, transfer.total, transfer.speed), lang);
    const state = transfer.status === "paused" ? text.paused : transfer.status === "preparing" ? text.preparing : text.uploading;
    const showRetrying = transfer.status === "uploading" && (transfer.retrying || offline);
    body = (
      <div className="bk-up-progress" data-testid="upload-progress" data-status={transfer.status}>
        <div className="bk-up-file">
          <span className="bk-up-name">{transfer.name}</span>
          <span className="bk-muted bk-up-size">{formatBytes(transfer.total, lang)}</span>
        </div>
        <progress className="bk-progress" max={100} value={percent} aria-label={text.progressOf(transfer.name)} />
        <div className="bk-up-stats" aria-live="polite">
          <span className="bk-up-state">{state}</span>
          <span className="bk-up-percent" data-testid="upload-percent">
            {percent}%
          </span>
          <span className="bk-muted bk-up-bytes">
            {formatBytes(transfer.sent, lang)} {text.of} {formatBytes(transfer.total, lang)}
          </span>
          {transfer.status === "uploading" && (
            <>
              <span className="bk-up-speed" data-testid="upload-speed" title={text.speed}>
                {formatSpeed(transfer.speed, lang)}
              </span>
              <span className="bk-up-eta" data-testid="upload-eta" title={text.timeLeft}>
                {eta}
              </span>
            </>
          )}
        </div>
        {transfer.resumed && (
          <p className="bk-up-note bk-muted" data-testid="upload-resumed">
            {transfer.resumed.percent === null ? text.resuming : text.resumedFrom(transfer.resumed.percent)}
          </p>
        )}
        {showRetrying && (
          <p className="bk-alert warn bk-up-retrying" role="status" data-testid="upload-retrying">
            {text.retrying}
          </p>
        )}
        {transfer.status === "failed" && transfer.error && (
          <p className="bk-alert error bk-up-error" role="alert" data-testid="upload-error">
            {offline ? text.offline : transfer.error[lang]}
          </p>
        )}
        <div className="bk-up-actions">
          {(transfer.status === "uploading" || transfer.status === "preparing") && (
            <button type="button" className="bk-button secondary" data-testid="upload-pause" onClick={pause} disabled={transfer.status === "preparing"}>
              {text.pause}
            </button>
          )}
          {(transfer.status === "paused" || transfer.status === "failed") && (
            <button type="button" className="bk-button" data-testid="upload-resume" onClick={resume}>
              {transfer.status === "failed" ? text.retry : text.resume}
            </button>
          )}
          <button type="button" className="bk-button danger" data-testid="upload-cancel" onClick={cancel}>
            {text.cancel}
          </button>
        </div>
      </div>
    );
  } else if (doneId || (typeof value === "string" && value.startsWith("data:"))) {
    const embedded = describeDataUrl(value);
    const known = embedded ? { name: embedded.name, size: embedded.bytes, complete: true } : (cached ?? shownInfo);
    const failed = Boolean(doneId && info?.id === doneId && info.info === null);
    body = (
      <div className="bk-up-done" data-testid="upload-done" data-upload-id={doneId ?? undefined}>
        <span className="bk-up-check" aria-hidden="true">
          ✓
        </span>
        <span className="bk-up-file">
          <span className="bk-muted">{text.uploaded}: </span>
          {known ? (
            <>
              <span className="bk-up-name">{known.name}</span>
              {Number.isFinite(known.size) && <span className="bk-muted bk-up-size">{formatBytes(known.size, lang)}</span>}
            </>
          ) : (
            <span className="bk-up-name bk-up-id" title={failed ? text.infoFailed : undefined}>
              {text.file} {doneId}
            </span>
          )}
        </span>
        {!locked && (
          <button type="button" id={id} className="bk-button secondary bk-up-remove" data-testid="upload-remove" onClick={remove} onBlur={onBlur} onFocus={onFocus}>
            {text.remove}
          </button>
        )}
        {known && known.complete === false && <p className="bk-alert warn bk-up-incomplete">{text.notComplete}</p>}
      </div>
    );
  } else {
    const inactive = !uploads || locked;
    body = (
      <>
        <input
          id={id}
          type="file"
          className="bk-up-file-input"
          accept={acceptAttribute(limits?.types)}
          disabled={inactive}
          required={required && !inactive}
          autoFocus={autofocus}
          aria-describedby={cx(describedBy, hint && hintId) || undefined}
          aria-label={ariaLabel}
          onChange={onPick}
          onBlur={onBlur}
          onFocus={onFocus}
        />
        {hint && (
          <p id={hintId} className="bk-up-hint bk-muted" data-testid="upload-hint">
            {hint}
          </p>
        )}
        {!uploads && (
          <p className="bk-up-note bk-muted" data-testid="upload-preview-note">
            {text.previewOnly}
          </p>
        )}
      </>
    );
  }

  return (
    <div className={cx("bk-up", !uploads && "bk-up--preview")} data-testid={`upload-input-${pointer}`}>
      {body}
      {!transfer && alert}
    </div>
  );
}

/** Several files ("ui:widget": "upload" on an array): the attached ones, then a slot for one more. */
function FileList(
  props: Omit<SlotProps, "value" | "onValue" | "id" | "ariaLabel"> & { id: string; label: string; separator: string; value: unknown; maxItems: number; onItems: (items: unknown[]) => void },
) {
  const { id, label, separator, pointer, value, maxItems, onItems, lang, ...slot } = props;
  const itemLabel = (i: number) => `${label || TEXT[lang].file} ${i + 1}`;
  const items = Array.isArray(value) ? value : [];
  // A new key after each finished upload gives the next file a fresh slot.
  const [slotKey, setSlotKey] = useState(0);
  return (
    <div className="bk-up-list" data-testid={`upload-list-${pointer}`}>
      {items.map((item, i) => (
        <FileSlot
          key={`${i}:${typeof item === "string" ? item.slice(0, 64) : ""}`}
          {...slot}
          lang={lang}
          id={`${id}${separator}${i}`}
          pointer={`${pointer}/${i}`}
          ariaLabel={itemLabel(i)}
          value={item}
          onValue={(next) => onItems(next === undefined ? items.filter((_, j) => j !== i) : items.map((x, j) => (j === i ? next : x)))}
        />
      ))}
      {items.length < maxItems ? (
        <FileSlot
          key={`new:${slotKey}`}
          {...slot}
          lang={lang}
          id={`${id}${separator}${items.length}`}
          pointer={`${pointer}/${items.length}`}
          ariaLabel={itemLabel(items.length)}
          value={undefined}
          onValue={(next) => {
            if (next === undefined) return;
            onItems([...items, next]);
            setSlotKey((k) => k + 1);
          }}
        />
      ) : (
        <p className="bk-up-hint bk-muted">{TEXT[lang].maxFiles(maxItems)}</p>
      )}
    </div>
  );
}

/** The "upload" widget: one file on a string field, several on an array field. */
export function UploadWidget(props: WidgetProps) {
  const { id, value, schema, required, disabled, readonly, autofocus, options, onChange, onBlur, onFocus, registry, multiple, label } = props;
  const lang = langOf(registry);
  const uploads = (registry.formContext as UploadFormContext | undefined)?.uploads;
  const pointer = fieldPointerOf(props);
  const locked = Boolean(disabled || readonly);
  const blur = () => onBlur(id, value);
  const focus = () => onFocus(id, value);

  if (multiple || schema.type === "array") {
    const itemSchema = Array.isArray(schema.items) ? schema.items[0] : schema.items;
    return (
      <FileList
        id={id}
        label={label}
        separator={registry.globalFormOptions?.idSeparator ?? "_"}
        pointer={pointer}
        value={value}
        maxItems={typeof schema.maxItems === "number" ? schema.maxItems : Infinity}
        limits={limitsOf(itemSchema)}
        lang={lang}
        uploads={uploads}
        locked={locked}
        describedBy={ariaDescribedByIds(id)}
        onItems={(items) => onChange(items)}
        onBlur={blur}
        onFocus={focus}
      />
    );
  }
  return (
    <FileSlot
      id={id}
      pointer={pointer}
      value={value}
      limits={limitsOf(schema)}
      lang={lang}
      uploads={uploads}
      locked={locked}
      required={required}
      autofocus={autofocus}
      describedBy={ariaDescribedByIds(id)}
      onValue={(next) => onChange(next === undefined ? options.emptyValue : next)}
      onBlur={blur}
      onFocus={focus}
    />
  );
}

export const uploadWidgets = { upload: UploadWidget };
