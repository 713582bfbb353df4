import { PassThrough, type Readable } from "node:stream";
import yauzl from "yauzl";
import type { AppError } from "~/core/errors";
import { unreadableArchive, ZIP_MAX_EXPANDED_BYTES, ZIP_MAX_RATIO, zipBomb } from "~/core/uploads/upload-rules";
import { uploadStorage } from "./upload-storage.server";

/** yauzl reads the zip's central directory through ranged reads of the stored upload (disk or S3), never all of it. */
class StoredFileReader extends yauzl.RandomAccessReader {
  constructor(private readonly id: string) {
    super();
  }
  _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    uploadStorage()
      .openRead(this.id, { start, end: end - 1 })
      .then((stream) => stream.pipe(out), (error: Error) => out.destroy(error));
    return out;
  }
}

/**
 * A zip container (zip, docx, xlsx …) is refused when its entries would expand beyond ZIP_MAX_RATIO times
 * its size or ZIP_MAX_EXPANDED_BYTES in all, or when it is not a readable zip at all. Null when it is fine.
 */
export async function checkZipContainer(id: string, size: number): Promise<AppError | null> {
  const reader = new StoredFileReader(id);
  try {
    const total = await new Promise<number>((resolve, reject) => {
      yauzl.fromRandomAccessReader(reader, size, { lazyEntries: true, autoClose: false }, (error, zip) => {
        if (error || !zip) return reject(error ?? new Error("unreadable zip"));
        let expanded = 0;
        zip.on("entry", (entry: yauzl.Entry) => {
          expanded += entry.uncompressedSize;
          if (expanded > ZIP_MAX_EXPANDED_BYTES) {
            zip.close();
            resolve(expanded);
            return;
          }
          zip.readEntry();
        });
        zip.on("end", () => resolve(expanded));
        zip.on("error", reject);
        zip.readEntry();
      });
    });
    return total > ZIP_MAX_EXPANDED_BYTES || total > size * ZIP_MAX_RATIO ? zipBomb() : null;
  } catch {
    return unreadableArchive();
  } finally {
    reader.close(() => undefined);
  }
}
