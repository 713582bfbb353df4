/**
 * CPU per rendered permit PDF (the FEE_PAID step's largest document), in this thread, for permits that differ
 * as real ones do (number, holder, business, address), short ones and ones long enough to be set smaller.
 * Prints a hash of one rendered sample of each kind, so two trees can be compared for identical output.
 *
 *   npx tsx bench/pdf-render-cost.ts          (BENCH_COUNT renders of each kind, 40 by default)
 */
import { createHash } from "node:crypto";
import { renderPermitPdf } from "~/services/permit-pdf.server";
import { samplePermit, samplePermitPdfInput } from "../test/support/pdf-samples";

const COUNT = Number(process.env.BENCH_COUNT ?? 40);
const longName = "ห้างหุ้นส่วนจำกัดร้านเสริมสวยและแต่งผมสมหญิงบิวตี้ซาลอนแอนด์สปา สาขาถนนรัตนาธิเบศร์ ตรงข้ามศูนย์ราชการจังหวัดนนทบุรี ";
const kinds = {
  short: samplePermitPdfInput(),
  "set smaller": samplePermitPdfInput({ businessName: longName.repeat(2), conditions: Array(2).fill(samplePermit().conditions).flat() }),
};
// One verification URL for all (a longer permit would not fit in a QR code as a signed payload).
for (const input of Object.values(kinds)) input.verifyUrl = kinds.short.verifyUrl;

const hashes: string[] = [];
for (const [kind, input] of Object.entries(kinds)) {
  hashes.push(`${kind} ${createHash("sha256").update(await renderPermitPdf(input)).digest("hex").slice(0, 16)}`);
  const nth = (i: number) => ({
    ...input,
    permit: {
      ...input.permit,
      number: `NBI-HH-2569-${10_000 + i}`,
      holderName: `${input.permit.holderName} ${i}`,
      businessName: `${input.permit.businessName} สาขา ${i}`,
      address: { text: `เลขที่ ${i} ${input.permit.address.text}` },
    },
  });
  for (let i = 0; i < 5; i++) await renderPermitPdf(nth(-1 - i)); // warm up
  const before = process.cpuUsage();
  for (let i = 0; i < COUNT; i++) await renderPermitPdf(nth(i));
  const used = process.cpuUsage(before);
  console.log(`${kind.padEnd(12)} ${((used.user + used.system) / 1000 / COUNT).toFixed(1)} ms CPU per permit PDF`);
}
console.log(`output: ${hashes.join(", ")}`);
