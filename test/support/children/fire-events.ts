// Child process for the concurrent transition test: as another web process would, fires one event on each given
// case at once, all against the given revision, and prints per case "won" or the error code as JSON. It says
// "ready" on stderr once connected, so the parent can fire at the same moment.
import { AppError } from "~/core/errors";
import { findUserByEmail } from "~/models/user.server";
import { drainEffectRunner } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { actorOfUser } from "~/utils/auth.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

const [type, email, rev, ...caseIds] = process.argv.slice(2);
await connectDb();
const user = await findUserByEmail(email!);
if (!user) throw new Error(`no user ${email}`);
const actor = actorOfUser(user);
process.stderr.write("ready\n");
// Started with others that must fire at the same moment: wait for the parent's "go" (test/support/child-process.ts).
if (process.env.CHILD_WAIT_FOR_GO === "1") await new Promise((resolve) => process.stdin.once("data", resolve));
const outcomes = await Promise.allSettled(caseIds.map((id) => fireCaseEvent(actor, id, { type: type!, rev: Number(rev) })));
process.stdout.write(JSON.stringify(outcomes.map((o) => (o.status === "fulfilled" ? "won" : o.reason instanceof AppError ? o.reason.code : String(o.reason)))));
await drainEffectRunner();
await disconnectDb();
