// Child process for crash tests: fires one event as a demo user and lets its effects run. With BORIKAN_CRASH_AT set it dies at
// that point (exit 137), as a killed web process would.
import { findUserByEmail } from "~/models/user.server";
import { settleCaseEffects } from "~/services/effects/effect-runner.server";
import { fireCaseEvent } from "~/services/fire-case-event.server";
import { actorOfUser } from "~/utils/auth.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

const [caseId, type, email] = process.argv.slice(2);
await connectDb();
const user = await findUserByEmail(email!);
if (!user) throw new Error(`no user ${email}`);
await fireCaseEvent(actorOfUser(user), caseId!, { type: type! });
// The web process's background run of the effects, to its end (or to the injected crash inside it).
await settleCaseEffects(caseId!);
await disconnectDb();
