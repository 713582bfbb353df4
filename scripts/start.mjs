// `npm start`: checks prerequisites, starts the embedded database (unless MONGODB_URI is set), builds,
// seeds demo data into an empty database and serves http://localhost:3000. Data stays in .data/.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { startFerretDb } from "./ferretdb.mjs";
import { spawnBoundToParent } from "./supervised.mjs";
import { WEB_ENV, WEB_NODE_OPTIONS } from "./web-node-options.mjs";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
// For tests of starting and stopping, which run beside the suite's own build.
const skipBuild = process.argv.includes("--no-build");
const dataDir = path.resolve(process.env.BORIKAN_DATA_DIR ?? path.join(root, ".data"));

function fail(message) {
  console.error(`\n✗ ${message}\n`);
  process.exit(1);
}

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js >= 20.19 is required (this is ${process.versions.node}).`);

function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

let database;
const env = { ...process.env, NODE_ENV: dev ? "development" : (process.env.NODE_ENV ?? "production") };

/**
 * Children are node processes started directly, never through npx: a signal sent to this process's pid (what a
 * process manager does) must reach a process that handles it, and npx does not pass SIGTERM on. They also end
 * if this process is killed outright (scripts/supervised.mjs).
 */
const children = new Set();
function startChild(args, options = {}) {
  const child = spawnBoundToParent(process.execPath, args, { cwd: root, env, stdio: "inherit", ...options });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}
const TSX = ["--import", "tsx"];
let databaseStarting;
let stopping = false;
// From here on, a stop ends everything started so far. One asked for while building or seeding (spawnSync)
// is handled when that step has finished.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => shutdown(0));
// The demo product runs in production mode but keeps its demo data; only a real deployment sets this.
env.BORIKAN_DEMO = process.env.BORIKAN_DEMO ?? (process.env.MONGODB_URI ? "0" : "1");
if (!env.MONGODB_URI) {
  const port = Number(process.env.FERRETDB_PORT ?? 27117);
  if (await portInUse(port)) fail(`Port ${port} (embedded database) is in use. Stop the other process or set FERRETDB_PORT.`);
  try {
    databaseStarting = startFerretDb({ port, dataDir: path.join(dataDir, "ferretdb") });
    database = await databaseStarting;
  } catch (error) {
    fail(error.message);
  }
  env.MONGODB_URI = `${database.uri}borikan`;
  console.log(`Embedded database (FerretDB on SQLite) at ${database.tcpUri}borikan (the product connects through its socket, ${env.MONGODB_URI}), data in ${path.join(dataDir, "ferretdb")}`);
}

async function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n✗ ${command} ${args.join(" ")} failed\n`);
    await shutdown(1);
  }
}

// Stable secrets per installation, so sessions survive a restart of npm start and the agencies'
// encrypted signing keys stay readable.
function installationSecret(name, file) {
  if (env[name]) return;
  const secretFile = path.join(dataDir, file);
  if (!existsSync(secretFile)) {
    mkdirSync(path.dirname(secretFile), { recursive: true });
    writeFileSync(secretFile, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  env[name] = readFileSync(secretFile, "utf8").trim();
}
installationSecret("SESSION_SECRET", "session-secret");
installationSecret("KEY_ENCRYPTION_SECRET", "key-encryption-secret");

// Demo mode: a local OpenID provider stands in for ThaID (scripts/demo-oidc-provider.ts), unless providers are configured.
if (env.BORIKAN_DEMO === "1" && !env.OIDC_PROVIDERS) {
  const oidcPort = Number(process.env.DEMO_OIDC_PORT ?? 3100);
  if (await portInUse(oidcPort)) fail(`Port ${oidcPort} (demo ThaID provider) is in use. Stop the other process or set DEMO_OIDC_PORT.`);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/$/, "");
  const clientSecret = randomBytes(24).toString("hex");
  const redirectUri = `${publicUrl}/auth/oidc/thaid-demo/callback`;
  startChild([...TSX, "scripts/demo-oidc-provider.ts", "--port", String(oidcPort), "--client-id", "borikan-demo", "--client-secret", clientSecret, "--redirect-uri", redirectUri], {
    env: { ...env, NODE_ENV: "development" },
  });
  env.OIDC_PROVIDERS = JSON.stringify([
    { id: "thaid-demo", label: { th: "ThaID (สาธิต)", en: "ThaID (demo)" }, issuer: `http://127.0.0.1:${oidcPort}`, clientId: "borikan-demo", clientSecret, redirectUrl: redirectUri, demo: true },
  ]);
}

if (!dev && !skipBuild) await run("npx", ["remix", "build"]);
// The PDF worker threads' code, beside the server build (also in dev: `remix dev` rebuilds only build/index.js).
if (!skipBuild) await run("node", ["scripts/build-pdf-worker.mjs"]);
await run("npx", ["tsx", "scripts/seed.ts"]);

const server = dev
  ? startChild([path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "dev", "--manual", "-c", "node server.js"])
  : startChild([...WEB_NODE_OPTIONS, "server.js"], { env: { ...env, ...WEB_ENV } });
// Finishes effects (permits, letters) that a web process queued but could not complete.
startChild([...TSX, "scripts/worker.ts"]);
server.on("exit", (code) => shutdown(code ?? 0));

/** Stops every child (SIGTERM; SIGKILL after 20 s: the web server may finish documents for 10 s), then the database. */
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  const exited = [...children].map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", resolve))));
  for (const child of children) child.kill("SIGTERM");
  const killer = setTimeout(() => {
    for (const child of children) child.kill("SIGKILL");
  }, 20_000);
  await Promise.all(exited);
  clearTimeout(killer);
  await (database ?? (await databaseStarting?.catch(() => undefined)))?.stop();
  process.exit(code);
}
