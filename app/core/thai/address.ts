/**
 * Thai administrative addresses: province (จังหวัด) → district (อำเภอ/เขต) → subdistrict (ตำบล/แขวง)
 * → postcode, from the `thai-address-universal` package (77 provinces, 928 districts, 7,475
 * subdistricts, 7,498 subdistrict/postcode rows). Names are Thai, without the
 * จังหวัด/อำเภอ/เขต/ตำบล/แขวง prefix: เขตบางรัก is district "บางรัก" of "กรุงเทพมหานคร".
 *
 * The package decodes its data lazily through a dynamic import, so every lookup here is async;
 * load the book once with `loadThaiAddressBook()` when you need many synchronous lookups.
 * Server-side use: the browser asks /api/v1/thai-address for one level at a time.
 */
import { getDatabase, getEngMode, getProvinceAll, setEngMode } from "thai-address-universal";

export type ThaiAddressParts = { province: string; district: string; subdistrict: string; postcode: string };
export type SubdistrictEntry = { name: string; postcodes: string[] };
/** Whatever was submitted: the check must not trust its types. */
export type ThaiAddressInput = Partial<Record<keyof ThaiAddressParts, unknown>>;

export type ThaiAddressBook = {
  provinces(): string[];
  /** [] for an unknown province. */
  districts(province: string): string[];
  /** [] when the province/district pair is unknown. */
  subdistricts(province: string, district: string): SubdistrictEntry[];
  /** Every postcode serving the subdistrict (usually one, 20 subdistricts have two); [] when unknown. */
  postcodes(province: string, district: string, subdistrict: string): string[];
  /** All four parts exist and belong together. */
  isValid(address: ThaiAddressInput): boolean;
};

// province → district → subdistrict → postcodes. District names repeat across provinces
// (จอมทอง is in Bangkok and Chiang Mai), so every level is keyed under its parent.
type Tree = Map<string, Map<string, Map<string, string[]>>>;

const collator = new Intl.Collator("th");
const sorted = (names: Iterable<string>): string[] => [...names].sort(collator.compare);

async function buildTree(): Promise<Tree> {
  await getProvinceAll(); // makes the package load and decode its default dataset
  // The package has one process-wide language switch, which an environment variable can start in
  // English; addresses are keyed by Thai names, so insist on Thai.
  if (getEngMode()) await setEngMode(false);
  const tree: Tree = new Map();
  for (const row of getDatabase()) {
    const districts = tree.get(row.province) ?? new Map<string, Map<string, string[]>>();
    tree.set(row.province, districts);
    const subdistricts = districts.get(row.district) ?? new Map<string, string[]>();
    districts.set(row.district, subdistricts);
    const postcodes = subdistricts.get(row.sub_district) ?? [];
    if (!postcodes.includes(row.postal_code)) postcodes.push(row.postal_code);
    subdistricts.set(row.sub_district, postcodes.sort());
  }
  return tree;
}

function bookOf(tree: Tree): ThaiAddressBook {
  const postcodes = (province: string, district: string, subdistrict: string) => [
    ...(tree.get(province)?.get(district)?.get(subdistrict) ?? []),
  ];
  return {
    provinces: () => sorted(tree.keys()),
    districts: (province) => sorted(tree.get(province)?.keys() ?? []),
    subdistricts: (province, district) => {
      const bySubdistrict = tree.get(province)?.get(district);
      return sorted(bySubdistrict?.keys() ?? []).map((name) => ({ name, postcodes: [...(bySubdistrict?.get(name) ?? [])] }));
    },
    postcodes,
    isValid: ({ province, district, subdistrict, postcode }) =>
      typeof province === "string" &&
      typeof district === "string" &&
      typeof subdistrict === "string" &&
      typeof postcode === "string" &&
      postcodes(province, district, subdistrict).includes(postcode),
  };
}

let loading: Promise<ThaiAddressBook> | undefined;

/** The address book, decoded once per process; a failed load is retried on the next call. */
export function loadThaiAddressBook(): Promise<ThaiAddressBook> {
  loading ??= buildTree().then(bookOf, (error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

export async function listProvinces(): Promise<string[]> {
  return (await loadThaiAddressBook()).provinces();
}

export async function listDistricts(province: string): Promise<string[]> {
  return (await loadThaiAddressBook()).districts(province);
}

export async function listSubdistricts(province: string, district: string): Promise<string[]> {
  return (await loadThaiAddressBook()).subdistricts(province, district).map((s) => s.name);
}

/** Subdistricts with their postcodes, so the address widget fills the postcode without another request. */
export async function listSubdistrictEntries(province: string, district: string): Promise<SubdistrictEntry[]> {
  return (await loadThaiAddressBook()).subdistricts(province, district);
}

export async function postcodesFor(province: string, district: string, subdistrict: string): Promise<string[]> {
  return (await loadThaiAddressBook()).postcodes(province, district, subdistrict);
}

/** The subdistrict's postcode (the lowest when it has two); undefined when the combination is unknown. */
export async function postcodeFor(province: string, district: string, subdistrict: string): Promise<string | undefined> {
  return (await postcodesFor(province, district, subdistrict))[0];
}

export async function isValidThaiAddress(address: ThaiAddressInput): Promise<boolean> {
  return (await loadThaiAddressBook()).isValid(address);
}
