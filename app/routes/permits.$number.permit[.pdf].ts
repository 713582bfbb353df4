import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPermit } from "~/models/permit.server";
import { permitPdf } from "~/services/permit-documents.server";

/** The permit as issued (PDF, signed QR). Public: it holds only what the registry publishes anyway (s.13). */
export async function loader({ params }: LoaderFunctionArgs) {
  const permit = await getPermit(params.number ?? "");
  const file = permit ? await permitPdf(permit) : null;
  if (!permit || !file) throw new Response("ไม่พบใบอนุญาต / Permit not found", { status: 404 });
  return new Response(new Uint8Array(file.data), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${permit.number}.pdf"`,
      "Cache-Control": "public, max-age=3600, immutable",
      ETag: `"${file.sha256}"`,
    },
  });
}
