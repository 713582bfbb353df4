// Node options of a web process (scripts/start.mjs starts server.js with them; bench/registry-start.ts starts
// its new web process the same way). ADR 027: a young generation of 2 × 8 MiB instead of V8's 2 × 16 MiB saves ~16 MiB
// of a web process's RSS with the 1,000,000-permit registry index (new space stays resident once the searches
// filled it); the extra scavenges cost no measurable search latency.
export const WEB_NODE_OPTIONS = ["--max-semi-space-size=8"];
