/**
 * Valid application data for the OPDC templates, shared by the service/API tests, the e2e tests and the
 * bench. No test-runner imports here, so `tsx bench/…` can use it as it is.
 *
 * Every value is what the form's widgets would store: canonical digits for the national ID and mobile,
 * a real province → district → subdistrict → postcode combination, one small data-url PDF per document.
 */
import { listDistricts, listSubdistricts, postcodeFor } from "~/core/thai/address";

/** A one-line PDF ("%PDF-1.4\n") as the file widget would send it. */
export function pdfDataUrl(name = "a.pdf"): string {
  return `data:application/pdf;name=${encodeURIComponent(name)};base64,JVBERi0xLjQK`;
}

/**
 * A 13-digit Thai national ID with a correct mod-11 check digit, distinct for each `n`.
 * The check digit is computed here, not by the module under test, so a wrong validator cannot agree with itself.
 */
export function thaiNationalId(n = 1): string {
  const first12 = `1${String(Math.abs(Math.trunc(n)) % 1e11).padStart(11, "0")}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return first12 + String((11 - (sum % 11)) % 10);
}

/** A Thai mobile number (10 digits, 06/08/09), distinct for each `n` below 10^8. */
export function thaiMobile(n = 1): string {
  return `08${String(Math.abs(Math.trunc(n)) % 1e8).padStart(8, "0")}`;
}

export type ThaiAddress = { line: string; province: string; district: string; subdistrict: string; postcode: string };

/**
 * A real address in the given province, picked from the address book (not hard-coded), so the factory stays
 * valid whatever the dataset spells. Prefers the named district/subdistrict when they exist.
 */
export async function thaiAddress(
  line: string,
  { province = "นนทบุรี", district = "เมืองนนทบุรี", subdistrict = "บางกระสอ" } = {},
): Promise<ThaiAddress> {
  const districts = await listDistricts(province);
  const d = districts.includes(district) ? district : districts[0];
  if (!d) throw new Error(`factories: the address book has no province "${province}"`);
  const subdistricts = await listSubdistricts(province, d);
  const s = subdistricts.includes(subdistrict) ? subdistrict : subdistricts[0];
  const postcode = s ? await postcodeFor(province, d, s) : undefined;
  if (!s || !postcode) throw new Error(`factories: no subdistrict/postcode under ${province} / ${d}`);
  return { line, province, district: d, subdistrict: s, postcode };
}

export type HealthHazardApplication = {
  applicant: {
    personType: "natural" | "juristic";
    fullName: string;
    nationalId: string;
    nationality?: string;
    mobile: string;
    email?: string;
    address: ThaiAddress;
  };
  business: {
    name: string;
    activity: "food-production" | "beauty-salon" | "spa-massage" | "car-repair" | "laundry" | "animal-feed" | "fuel-storage";
    areaSqm: number;
    workers: number;
    location: ThaiAddress;
  };
  documents: {
    idCard: string;
    premisesRegistration: string;
    buildingUse: string;
    siteMap: string;
    companyCertificate?: string;
    powerOfAttorney?: string;
    buildingPlans?: string[];
  };
  consent: true;
};

export type HealthHazardOverrides = {
  applicant?: Partial<HealthHazardApplication["applicant"]>;
  business?: Partial<HealthHazardApplication["business"]>;
  documents?: Partial<HealthHazardApplication["documents"]>;
};

/**
 * Data for `<agency>-health-hazard-licence` that passes the published form's validation.
 * `n` varies the identifying fields (ID, mobile, names) so many applications can be filed side by side;
 * `overrides` replace fields one section at a time.
 */
export async function healthHazardApplication(overrides: HealthHazardOverrides = {}, n = 1): Promise<HealthHazardApplication> {
  const [home, premises] = await Promise.all([thaiAddress("99/9 หมู่ 3 ซอยรัตนาธิเบศร์ 18"), thaiAddress("12/34 ถนนรัตนาธิเบศร์")]);
  return {
    applicant: {
      personType: "natural",
      fullName: `สมชาย ใจดี ${n}`,
      nationalId: thaiNationalId(n),
      nationality: "ไทย",
      mobile: thaiMobile(n),
      email: `applicant${n}@example.co.th`,
      address: home,
      ...overrides.applicant,
    },
    business: {
      name: `ร้านเสริมสวยสุขใจ ${n}`,
      activity: "beauty-salon",
      areaSqm: 48,
      workers: 3,
      location: premises,
      ...overrides.business,
    },
    documents: {
      idCard: pdfDataUrl("id-card.pdf"),
      premisesRegistration: pdfDataUrl("house-registration.pdf"),
      buildingUse: pdfDataUrl("lease.pdf"),
      siteMap: pdfDataUrl("site-map.pdf"),
      ...overrides.documents,
    },
    consent: true,
  };
}
