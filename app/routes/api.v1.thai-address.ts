/**
 * GET /api/v1/thai-address                          → { provinces: string[] }
 * GET /api/v1/thai-address?province=P               → { province, districts: string[] }
 * GET /api/v1/thai-address?province=P&district=D    → { province, district, subdistricts: { name, postcodes }[] }
 * An unknown province or district is a 404. The address widget walks these one level at a time
 * instead of downloading the dataset (see app/core/thai/address.ts).
 */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { loadThaiAddressBook } from "~/core/thai/address";

// The data changes only with a package upgrade: let browsers and proxies keep answers for a day.
const CACHE = { "Cache-Control": "public, max-age=86400" };

function notFound(th: string, en: string) {
  return json({ error: { code: "NOT_FOUND", message: { th, en } } }, { status: 404 });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const province = params.get("province")?.trim() ?? "";
  const district = params.get("district")?.trim() ?? "";
  const book = await loadThaiAddressBook();

  if (!province) return json({ provinces: book.provinces() }, { headers: CACHE });
  const districts = book.districts(province);
  if (districts.length === 0) return notFound("ไม่พบจังหวัดนี้", "Unknown province");
  if (!district) return json({ province, districts }, { headers: CACHE });
  const subdistricts = book.subdistricts(province, district);
  if (subdistricts.length === 0) return notFound("ไม่พบอำเภอ/เขตนี้ในจังหวัด", "Unknown district for this province");
  return json({ province, district, subdistricts }, { headers: CACHE });
}
