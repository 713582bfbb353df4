import { createHash, type Hash } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { DataStore, type Upload } from "@tus/utils";
import { fileTypeFromBuffer } from "file-type";
import type { AppError } from "~/core/errors";
import { SNIFF_BYTES, typeAllowed, wrongType } from "~/core/uploads/upload-rules";

/** What the checks need to know about an upload while its bytes arrive. */
export type UploadPolicy = { types: string[]; declaredType: string | null };

type Progress = { hash: Hash; offset: number };

const isText = (head: Buffer) => head.length > 0 && !head.includes(0) && Buffer.from(head.toString("utf8"), "utf8").equals(head);

/** The type a file's first bytes show (magic numbers), or undefined for content without a signature. */
export async function sniffType(head: Buffer): Promise<string | undefined> {
  return (await fileTypeFromBuffer(head))?.mime;
}

export async function checkedType(head: Buffer, policy: UploadPolicy): Promise<{ type: string } | { refusal: AppError }> {
  const detected = await sniffType(head);
  const type = typeAllowed(policy.types, detected, policy.declaredType ?? undefined, isText(head));
  return type ? { type } : { refusal: wrongType(policy.types, detected) };
}

/**
 * Wraps the tus data store so that every upload is checked as it streams in, without holding it in memory:
 * the first bytes are sniffed for the real type (refused mid-upload when the field does not allow it), and a
 * SHA-256 is updated chunk by chunk. The hash lives in this process; when an upload resumes in another process
 * (or after a restart) the running hash is missing and `finalHash` reads the stored file once instead.
 */
export class CheckedStore extends DataStore {
  private readonly progress = new Map<string, Progress>();
  private readonly refusals = new Map<string, AppError>();
  private readonly detected = new Map<string, string>();

  constructor(
    private readonly inner: DataStore,
    private readonly policyOf: (id: string) => Promise<UploadPolicy>,
  ) {
    super();
    this.extensions = inner.extensions;
  }

  create(upload: Upload) {
    return this.inner.create(upload);
  }
  getUpload(id: string) {
    return this.inner.getUpload(id);
  }
  declareUploadLength(id: string, length: number) {
    return this.inner.declareUploadLength(id, length);
  }
  deleteExpired() {
    return this.inner.deleteExpired();
  }
  getExpiration() {
    return this.inner.getExpiration();
  }
  async remove(id: string) {
    this.forget(id);
    await this.inner.remove(id);
  }

  forget(id: string) {
    this.progress.delete(id);
    this.refusals.delete(id);
    this.detected.delete(id);
  }

  /** The refusal a write ran into (wrong type), taken once. */
  takeRefusal(id: string): AppError | undefined {
    const refusal = this.refusals.get(id);
    this.refusals.delete(id);
    return refusal;
  }

  /** The type sniffed from the first bytes in this process, if it saw them. */
  detectedType(id: string): string | undefined {
    return this.detected.get(id);
  }

  /** The SHA-256 computed while streaming, when this process saw every byte up to `size`. */
  streamedHash(id: string, size: number): string | undefined {
    const p = this.progress.get(id);
    return p && p.offset === size ? p.hash.copy().digest("hex") : undefined;
  }

  async write(readable: Readable, id: string, offset: number): Promise<number> {
    let progress = this.progress.get(id);
    if (offset === 0) progress = { hash: createHash("sha256"), offset: 0 };
    else if (progress && progress.offset !== offset) progress = undefined;
    if (progress) this.progress.set(id, progress);
    else this.progress.delete(id);

    const policy = offset === 0 ? await this.policyOf(id) : undefined;
    let head: Buffer[] | null = offset === 0 ? [] : null;
    let headBytes = 0;
    const { detected, refusals } = this;
    const checkHead = async () => {
      const bytes = Buffer.concat(head!);
      head = null;
      const result = await checkedType(bytes, policy!);
      if ("refusal" in result) return result.refusal;
      detected.set(id, result.type);
      return undefined;
    };
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (progress) {
          progress.hash.update(chunk);
          progress.offset += chunk.length;
        }
        if (!head) return done(null, chunk);
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes < SNIFF_BYTES) return done();
        // Hold the first bytes back until their type is known, so a refused file never reaches the store.
        const held = Buffer.concat(head);
        checkHead().then(
          (refusal) => (refusal ? (refusals.set(id, refusal), done(refusal)) : done(null, held)),
          (error: Error) => done(error),
        );
      },
      flush(done) {
        if (!head) return done();
        const held = Buffer.concat(head);
        checkHead().then(
          (refusal) => (refusal ? (refusals.set(id, refusal), done(refusal)) : (this.push(held), done())),
          (error: Error) => done(error),
        );
      },
    });
    readable.on("error", (error) => tap.destroy(error));
    try {
      const written = await this.inner.write(readable.pipe(tap), id, offset);
      if (progress && progress.offset !== written) this.progress.delete(id);
      return written;
    } catch (error) {
      // Keep the running hash only if it still matches what the store holds.
      const stored = await this.inner.getUpload(id).then((u) => u.offset, () => -1);
      if (progress && progress.offset !== stored) this.progress.delete(id);
      throw error;
    }
  }
}
