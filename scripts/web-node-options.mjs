// How a web process is started (scripts/start.mjs starts server.js this way; bench/server-process.ts and
// bench/registry-start.ts start theirs the same way, so the benches measure what runs).
// ADR 027: a young generation of 2 × 8 MiB instead of V8's 2 × 16 MiB saves ~16 MiB of a web process's RSS with
// the 1,000,000-permit registry index (new space stays resident once the searches filled it); the extra
// scavenges cost no measurable search latency.
export const WEB_NODE_OPTIONS = ["--max-semi-space-size=8"];
// ADR 027: glibc's allocator returns blocks of 128 KiB and more to the system when they are freed (a fixed mmap
// threshold) instead of raising its threshold after the first large free and serving later large blocks from a
// heap that stays resident: 60–70 MiB less RSS after loading the 1,000,000-permit index, at the same search p95.
export const WEB_ENV = { MALLOC_MMAP_THRESHOLD_: "131072" };
