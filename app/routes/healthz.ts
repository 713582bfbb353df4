import { json } from "@remix-run/node";
import { pingDb } from "~/utils/db.server";

export async function loader() {
  const db = await pingDb();
  return json(db ? { status: "ok", db: "ok" } : { status: "error", db: "unreachable" }, { status: db ? 200 : 503 });
}
