// Child process for registry tests: a fresh process (as a newly started web process would be) answers the
// registry queries given as JSON, then prints how its index came to be and the answers, as JSON.
import type { RegistryQuery } from "~/core/registry/registry-query";
import { registryIndexStatus, searchRegistry } from "~/services/registry.server";
import { connectDb, disconnectDb } from "~/utils/db.server";

const [queriesJson, nowIso] = process.argv.slice(2);
const queries = JSON.parse(queriesJson!) as RegistryQuery[];
await connectDb();
const answers = [];
for (const query of queries) answers.push(await searchRegistry(query, new Date(nowIso!)));
const { lastBuild } = registryIndexStatus();
process.stdout.write(JSON.stringify({ from: lastBuild?.from, localCopy: lastBuild?.localCopy, answers }));
await disconnectDb();
