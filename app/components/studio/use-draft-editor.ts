import { useCallback, useEffect, useRef, useState } from "react";
import type { ServiceDefinition } from "~/core/definitions/types";
import { withDerivedRoles } from "~/core/studio/derived-roles";
import { adminFetch, type ApiError } from "./admin-client";

export type SaveState =
  | { kind: "saved"; at: string }
  | { kind: "dirty" }
  | { kind: "saving" }
  | { kind: "invalid"; error: ApiError }
  | { kind: "conflict"; error: ApiError }
  | { kind: "failed"; error: ApiError };

type SavedDraft = { rev: number; updatedAt: string; definition: ServiceDefinition };

const AUTOSAVE_MS = 800;

/**
 * The studio's working copy of a draft: edits apply at once on screen and are saved through the admin API
 * shortly after (PUT …/draft with the rev they were based on). A 409 stops saving until the admin chooses to
 * reload or to keep their version; a 422 shows the server's findings and the next edit tries again.
 */
export function useDraftEditor(slug: string, initial: SavedDraft) {
  const [definition, setDefinition] = useState(initial.definition);
  const [save, setSave] = useState<SaveState>({ kind: "saved", at: initial.updatedAt });
  const [rev, setRev] = useState(initial.rev);
  const ref = useRef({ definition: initial.definition, rev: initial.rev, dirty: false, lastOk: true, conflict: false, saving: null as Promise<boolean> | null });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const saveNow = useCallback(async (): Promise<boolean> => {
    clearTimeout(timer.current);
    const state = ref.current;
    while (state.saving) await state.saving;
    if (state.conflict) return false;
    if (!state.dirty) return state.lastOk;
    const body = { definition: state.definition, rev: state.rev };
    state.dirty = false;
    setSave({ kind: "saving" });
    state.saving = (async () => {
      const result = await adminFetch<SavedDraft>(`/${slug}/draft`, { method: "PUT", body });
      state.saving = null;
      if (result.ok) {
        state.rev = result.data.rev;
        state.lastOk = true;
        setRev(result.data.rev);
        setSave(state.dirty ? { kind: "dirty" } : { kind: "saved", at: result.data.updatedAt });
        return true;
      }
      state.lastOk = false;
      state.dirty = true;
      if (result.status === 409) {
        state.conflict = true;
        setSave({ kind: "conflict", error: result.error });
      } else setSave({ kind: result.status === 422 ? "invalid" : "failed", error: result.error });
      return false;
    })();
    return state.saving;
  }, [slug]);

  const change = useCallback(
    (next: ServiceDefinition) => {
      const synced = withDerivedRoles(next);
      ref.current.definition = synced;
      ref.current.dirty = true;
      setDefinition(synced);
      if (!ref.current.conflict) setSave({ kind: "dirty" });
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void saveNow(), AUTOSAVE_MS);
    },
    [saveNow],
  );

  /** Takes a draft the server produced (e.g. a template upgrade) as the new saved state. */
  const replace = useCallback((draft: SavedDraft) => {
    Object.assign(ref.current, { definition: draft.definition, rev: draft.rev, dirty: false, lastOk: true, conflict: false });
    setDefinition(draft.definition);
    setRev(draft.rev);
    setSave({ kind: "saved", at: draft.updatedAt });
  }, []);

  /** After a 409: keep this screen's version by saving it over the newer revision. */
  const overwrite = useCallback(async () => {
    const latest = await adminFetch<SavedDraft>(`/${slug}/draft`);
    if (!latest.ok) {
      setSave({ kind: "failed", error: latest.error });
      return false;
    }
    Object.assign(ref.current, { rev: latest.data.rev, conflict: false, dirty: true });
    return saveNow();
  }, [slug, saveNow]);

  /** The rev the server holds for what is on screen, once saved. */
  const currentRev = useCallback(() => ref.current.rev, []);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (ref.current.dirty || ref.current.saving) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => {
      window.removeEventListener("beforeunload", warn);
      clearTimeout(timer.current);
    };
  }, []);

  return { definition, rev, save, change, saveNow, replace, overwrite, currentRev };
}
