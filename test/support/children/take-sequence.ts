// Child process for sequence tests: takes `count` numbers of a sequence at once, as another web process
// would, and prints them as JSON.
import { nextSequence } from "~/models/counter.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

const [name, count] = process.argv.slice(2);
await connectDb();
const numbers = await Promise.all(Array.from({ length: Number(count) }, (_, i) => nextSequence(name!, `child-${i}`)));
process.stdout.write(JSON.stringify(numbers));
await disconnectDb();
