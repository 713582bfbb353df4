/**
 * The agencies' public signing keys (Ed25519, as JWKs with the agency id): anyone can check a permit's or
 * letter's signature with these, offline too. GET /.well-known/borikan-keys.json
 */
import { json } from "@remix-run/node";
import { publishedKeySet } from "~/services/document-signing.server";

export async function loader() {
  return json(await publishedKeySet(), { headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" } });
}
