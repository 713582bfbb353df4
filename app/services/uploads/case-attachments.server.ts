import { PassThrough, Readable } from "node:stream";
import { ZipArchive } from "archiver";
import type { Actor } from "~/core/actor";
import { describeDataUrl, listFormFields } from "~/core/forms/form-fields";
import { getAt } from "~/core/json-pointer";
import type { Lang } from "~/core/text";
import { uploadIdOf, type CaseAttachment } from "~/core/uploads/upload-rules";
import { getUploads } from "~/models/upload.server";
import { loadVisibleCase } from "../case-access.server";
import { uploadStorage } from "./upload-storage.server";


/** Every file a case's form data holds, in form order: uploads with their recorded size, type and hash. */
export async function caseAttachments(schema: unknown, data: unknown, lang: Lang): Promise<(CaseAttachment & { dataUrl?: string })[]> {
  const slots: { pointer: string; title: string; value: unknown }[] = [];
  for (const field of listFormFields(schema, lang)) {
    if (field.kind !== "attachment") continue;
    const value = getAt(data, field.pointer);
    if (Array.isArray(value)) value.forEach((v, i) => slots.push({ pointer: `${field.pointer}/${i}`, title: `${field.title} (${i + 1})`, value: v }));
    else if (value !== undefined && value !== null && value !== "") slots.push({ pointer: field.pointer, title: field.title, value });
  }
  const docs = new Map((await getUploads(slots.map((s) => uploadIdOf(s.value)).filter((id): id is string => id !== null))).map((d) => [d._id, d]));
  const out: (CaseAttachment & { dataUrl?: string })[] = [];
  for (const slot of slots) {
    const id = uploadIdOf(slot.value);
    const doc = id ? docs.get(id) : undefined;
    if (doc) {
      out.push({ pointer: slot.pointer, title: slot.title, uploadId: doc._id, name: doc.name, size: doc.size ?? 0, type: doc.detectedType ?? "application/octet-stream", sha256: doc.sha256 });
      continue;
    }
    const embedded = describeDataUrl(slot.value);
    if (embedded) out.push({ pointer: slot.pointer, title: slot.title, uploadId: null, name: embedded.name, size: embedded.bytes, type: embedded.mime, sha256: null, dataUrl: slot.value as string });
  }
  return out;
}

/** Unique, safe names inside the zip: "<field> - <file name>". */
export function zipNames(list: CaseAttachment[]): string[] {
  const used = new Map<string, number>();
  return list.map((a) => {
    // eslint-disable-next-line no-control-regex
    const base = `${a.title} - ${a.name}`.replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_").slice(0, 200);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    if (n === 1) return base;
    const dot = base.lastIndexOf(".");
    return dot > 0 ? `${base.slice(0, dot)} (${n})${base.slice(dot)}` : `${base} (${n})`;
  });
}

/** The bytes of one attachment: the stored upload, or the decoded inline data URL. */
export async function openAttachment(item: CaseAttachment & { dataUrl?: string }): Promise<Readable> {
  if (item.uploadId) return uploadStorage().openRead(item.uploadId);
  return Readable.from([Buffer.from(item.dataUrl!.slice(item.dataUrl!.indexOf(",") + 1), "base64")]);
}

export type ZipEntry = { name: string; open: () => Promise<Readable> | Readable };

/**
 * A zip streamed as it is written: each entry is opened only when the previous one is done, so nothing is
 * held in memory whole. PDFs and photos are compressed already; storing them keeps the zip fast and the CPU free.
 */
export async function streamZip(entries: ZipEntry[]): Promise<Readable> {
  const archive = new ZipArchive({ store: true });
  const out = new PassThrough();
  archive.on("error", (error: Error) => out.destroy(error));
  archive.pipe(out);
  let next = 0;
  const addNext = async () => {
    if (next >= entries.length) {
      await archive.finalize();
      return;
    }
    const entry = entries[next++]!;
    archive.append(await entry.open(), { name: entry.name });
  };
  archive.on("entry", () => void addNext().catch((error: Error) => out.destroy(error)));
  // The first entry opens before the response starts, so a missing file is an error response, not a broken zip.
  await addNext();
  return out;
}

/** Every attachment of a case the actor may see, as one zip streamed as it is written. */
export async function caseAttachmentsZip(actor: Actor, caseId: string, lang: Lang): Promise<{ stream: Readable; fileName: string }> {
  const { record, service } = await loadVisibleCase(actor, caseId);
  const list = await caseAttachments(service.definition.form.schema, JSON.parse(record.dataJson), lang);
  const names = zipNames(list);
  const stream = await streamZip(list.map((item, i) => ({ name: names[i]!, open: () => openAttachment(item) })));
  return { stream, fileName: `${record.trackingNumber}-attachments.zip` };
}
