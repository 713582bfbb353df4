// Child process for race tests: another process running a case's effects (as another web process or the worker
// would). It connects, says "ready", waits for a line on stdin, runs the case's effects once and prints the outcome.
import { createInterface } from "node:readline";
import { runCaseEffects } from "~/services/effects/run-effects.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

const [caseId] = process.argv.slice(2);
await connectDb();
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
lines.close();
const outcome = await runCaseEffects(caseId!);
process.stdout.write(`${JSON.stringify(outcome)}\n`);
await disconnectDb();
