// Node options of a web process (scripts/start.mjs starts server.js with them; bench/registry-start.ts starts
// its new web process the same way). ADR 027: a young generation of 2 × 8 MiB instead of V8's 2 × 16 MiB keeps
// a web process with the 1,000,000-permit registry index under 400 MB (new space is resident once it filled,
// and the registry's searches fill it); the extra scavenges cost no measurable search latency.
export const WEB_NODE_OPTIONS = ["--max-semi-space-size=8"];
