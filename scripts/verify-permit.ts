/**
 * Verifies a permit's or result letter's QR text offline, against a saved copy of the agencies' public
 * keys (GET /.well-known/borikan-keys.json). No database, no network.
 *
 *   npx tsx scripts/verify-permit.ts "<QR text or https://…/verify#…>" --keys borikan-keys.json
 *
 * Exit code 0 when the signature is valid, 1 when it is not, 2 on bad usage.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { verifyAnySignedDocument, type KeySet } from "../app/core/permits/permit-signature";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { keys: { type: "string" } } });
const text = positionals[0];
if (!text || !values.keys) {
  console.error('usage: npx tsx scripts/verify-permit.ts "<QR text>" --keys borikan-keys.json');
  process.exit(2);
}
const keySet = JSON.parse(readFileSync(values.keys, "utf8")) as KeySet;
const jws = decodeURIComponent(text.trim().replace(/^.*#/, ""));
const { kind, check } = await verifyAnySignedDocument(jws, keySet);
if (!check.ok) {
  console.log(`NOT VALID (${check.code}): ${check.reason.en}\nไม่ผ่าน: ${check.reason.th}`);
  process.exit(1);
}
console.log(`VALID ${kind} signed by ${check.agency} with key ${check.kid}`);
console.log(JSON.stringify(check.payload, null, 2));
console.log("The signature proves the content; the current status (suspended, revoked, expired) is on the registry page.");
