// `npm start`: checks prerequisites, starts the embedded database (unless MONGODB_URI is set), builds,
// seeds demo data into an empty database and serves http://localhost:3000. Data stays in .data/.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { startFerretDb } from "./ferretdb.mjs";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");

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
// The demo product runs in production mode but keeps its demo data; only a real deployment sets this.
env.BORIKAN_DEMO = process.env.BORIKAN_DEMO ?? (process.env.MONGODB_URI ? "0" : "1");
if (!env.MONGODB_URI) {
  const port = Number(process.env.FERRETDB_PORT ?? 27117);
  if (await portInUse(port)) fail(`Port ${port} (embedded database) is in use. Stop the other process or set FERRETDB_PORT.`);
  try {
    database = await startFerretDb({ port, dataDir: path.join(root, ".data/ferretdb") });
  } catch (error) {
    fail(error.message);
  }
  env.MONGODB_URI = `${database.uri}borikan`;
  console.log(`Embedded database (FerretDB on SQLite) at ${env.MONGODB_URI}, data in .data/ferretdb`);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    database?.stop();
    fail(`${command} ${args.join(" ")} failed`);
  }
}

// Stable secrets per installation, so sessions survive a restart of npm start and the agencies'
// encrypted signing keys stay readable.
function installationSecret(name, file) {
  if (env[name]) return;
  const secretFile = path.join(root, ".data", file);
  if (!existsSync(secretFile)) {
    mkdirSync(path.dirname(secretFile), { recursive: true });
    writeFileSync(secretFile, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  env[name] = readFileSync(secretFile, "utf8").trim();
}
installationSecret("SESSION_SECRET", "session-secret");
installationSecret("KEY_ENCRYPTION_SECRET", "key-encryption-secret");

// Demo mode: a local OpenID provider stands in for ThaID (scripts/demo-oidc-provider.ts), unless providers are configured.
let demoOidc;
if (env.BORIKAN_DEMO === "1" && !env.OIDC_PROVIDERS) {
  const oidcPort = Number(process.env.DEMO_OIDC_PORT ?? 3100);
  if (await portInUse(oidcPort)) fail(`Port ${oidcPort} (demo ThaID provider) is in use. Stop the other process or set DEMO_OIDC_PORT.`);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/$/, "");
  const clientSecret = randomBytes(24).toString("hex");
  const redirectUri = `${publicUrl}/auth/oidc/thaid-demo/callback`;
  demoOidc = spawn("npx", ["tsx", "scripts/demo-oidc-provider.ts", "--port", String(oidcPort), "--client-id", "borikan-demo", "--client-secret", clientSecret, "--redirect-uri", redirectUri], {
    cwd: root,
    env: { ...env, NODE_ENV: "development" },
    stdio: "inherit",
  });
  env.OIDC_PROVIDERS = JSON.stringify([
    { id: "thaid-demo", label: { th: "ThaID (สาธิต)", en: "ThaID (demo)" }, issuer: `http://127.0.0.1:${oidcPort}`, clientId: "borikan-demo", clientSecret, redirectUrl: redirectUri, demo: true },
  ]);
}

if (!dev) run("npx", ["remix", "build"]);
// The PDF worker threads' code, beside the server build (also in dev: `remix dev` rebuilds only build/index.js).
run("node", ["scripts/build-pdf-worker.mjs"]);
run("npx", ["tsx", "scripts/seed.ts"]);

const server = dev
  ? spawn("npx", ["remix", "dev", "--manual", "-c", "node server.js"], { cwd: root, env, stdio: "inherit" })
  : spawn("node", ["server.js"], { cwd: root, env, stdio: "inherit" });
// Finishes effects (permits, letters) that a web process queued but could not complete.
const worker = spawn("npx", ["tsx", "scripts/worker.ts"], { cwd: root, env, stdio: "inherit" });

async function shutdown(code) {
  server.kill("SIGTERM");
  worker.kill("SIGTERM");
  demoOidc?.kill("SIGTERM");
  await database?.stop();
  process.exit(code);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));
server.on("exit", (code) => shutdown(code ?? 0));
