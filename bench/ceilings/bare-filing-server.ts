/**
 * The filing ceiling of issue 12: a minimal Node `http` server that does what a filing cannot do without —
 * parse the JSON body, validate it with ajv against the published form's schema (the same validator setup as
 * the app, one language) and insert one document of a case's size with the `mongodb` driver — and nothing
 * else (no sessions, limits, audit, numbers, workflow). Borikan's filing is measured as a share of this.
 *
 *   node --import tsx bench/ceilings/bare-filing-server.ts   (env MONGODB_URI, SERVICE_SLUG, PORT)
 */
import http from "node:http";
import { MongoClient } from "mongodb";
import type { RJSFSchema } from "@rjsf/utils";
import { formValidator } from "~/core/forms/form-validation";

const uri = process.env.MONGODB_URI!;
const slug = process.env.SERVICE_SLUG!;
const client = new MongoClient(uri);
const db = client.db();
const summary = await db.collection<{ _id: string; currentVersion: number }>("services").findOne({ _id: slug });
if (!summary) throw new Error(`no service ${slug}`);
const version = await db.collection<{ _id: string; formJson: string }>("serviceversions").findOne({ _id: `${slug}@${summary.currentVersion}` });
if (!version) throw new Error(`no published version of ${slug}`);
const schema = JSON.parse(version.formJson) as RJSFSchema;
const validator = formValidator("en");
const cases = db.collection("ceiling_cases");
let seq = 0;

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    void (async () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data: unknown };
        const errors = validator.rawValidation(schema, body.data).errors ?? [];
        if (errors.length > 0) {
          res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ errors }));
          return;
        }
        const now = new Date();
        const { insertedId } = await cases.insertOne({ n: ++seq, slug, dataJson: JSON.stringify(body.data), createdAt: now, status: "active" });
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: String(insertedId) }));
      } catch (error) {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: String(error) }));
      }
    })();
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("ceiling ready"));
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void client.close().finally(() => process.exit(0)));
