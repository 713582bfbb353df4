// Child process for sequence tests: takes `count` numbers of a sequence, as another web process would, and
// prints them as JSON. With `concurrency`, that many at once in waves (every call owned, as an effect's would
// be); the child says "ready" on stderr once connected, so the parent can start at the same moment.
import { nextSequence } from "~/models/counter.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

const [name, count, concurrency] = process.argv.slice(2);
await connectDb();
process.stderr.write("ready\n");
const numbers: number[] = [];
const atOnce = Number(concurrency ?? count);
for (let taken = 0; taken < Number(count); taken += atOnce) {
  const wave = Math.min(atOnce, Number(count) - taken);
  numbers.push(...(await Promise.all(Array.from({ length: wave }, (_, i) => nextSequence(name!, `child-${taken + i}`)))));
}
process.stdout.write(JSON.stringify(numbers));
await disconnectDb();
