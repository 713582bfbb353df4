// Child process for the revision race test: as another web process would, advances one case revision by revision
// with guarded case updates until the case reaches the given revision, and prints the revisions it won as JSON.
// Says "ready" on stderr once connected, then waits for the parent's "go" on stdin (test/support/child-process.ts).
import { advanceCaseRevisions } from "../race-revisions";
import { connectDb, disconnectDb } from "~/utils/db.server";

const [caseId, until] = process.argv.slice(2);
await connectDb();
process.stderr.write("ready\n");
if (process.env.CHILD_WAIT_FOR_GO === "1") await new Promise((resolve) => process.stdin.once("data", resolve));
process.stdout.write(JSON.stringify(await advanceCaseRevisions(caseId!, Number(until))));
await disconnectDb();
