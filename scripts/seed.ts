// `npm run seed`: publishes the OPDC templates and (outside production) the demo data. Idempotent.
import { runDataUpgrades } from "~/services/data-upgrades.server";
import { seedDemo } from "~/services/seed-demo.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

await connectDb();
await runDataUpgrades();
// Demo data only where asked for (npm start on the embedded database) or outside production.
const demo = process.env.BORIKAN_DEMO ? process.env.BORIKAN_DEMO === "1" : process.env.NODE_ENV !== "production";
await seedDemo({ production: !demo });
await disconnectDb();
