import { json } from "@remix-run/node";
import { registryIndexStatus } from "~/services/registry.server";
import { pingDb } from "~/utils/db.server";

/** Liveness for load balancers, and whether this process's registry index is ready yet. */
export async function loader() {
  const db = await pingDb();
  const { built, size } = registryIndexStatus();
  return json(
    { status: db ? "ok" : "error", db: db ? "ok" : "unreachable", registryIndex: built ? { ready: true, permits: size } : { ready: false } },
    { status: db ? 200 : 503 },
  );
}
