// Child process for the concurrent filing test: files `count` applications through the demo API key, `atOnce`
// at a time, as another web process would, and prints their tracking numbers and ids as JSON. It says "ready"
// on stderr once connected, so the parent can start filing at the same moment.
import type { Actor } from "~/core/actor";
import { findApiClientByKeyHash } from "~/models/api-client.server";
import { DEMO_API_KEY } from "~/services/seed-demo.server";
import { submitApplication } from "~/services/submit-application.server";
import { connectDb, disconnectDb } from "~/utils/db.server";
import { hashApiKey } from "~/utils/passwords.server";
import { healthHazardApplication } from "../factories";

const [slug, count, atOnce, from] = process.argv.slice(2).map((a, i) => (i === 0 ? a : Number(a))) as [string, number, number, number];
await connectDb();
const client = await findApiClientByKeyHash(hashApiKey(DEMO_API_KEY));
const key: Actor = { kind: "api", id: String(client!._id), name: client!.name, agencyId: client!.agencyId, roles: client!.roles };
const forms = await Promise.all(Array.from({ length: count }, (_, i) => healthHazardApplication({}, from + i)));
process.stderr.write("ready\n");
const filed: { id: string; trackingNumber: string }[] = [];
for (let done = 0; done < count; done += atOnce) {
  const wave = forms.slice(done, done + atOnce);
  filed.push(...(await Promise.all(wave.map((data) => submitApplication(key, slug, data, "api")))).map(({ id, trackingNumber }) => ({ id, trackingNumber })));
}
process.stdout.write(JSON.stringify(filed));
await disconnectDb();
