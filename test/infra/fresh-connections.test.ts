import { spawn } from "node:child_process";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The suite's setup (test/setup/fresh-connections.ts) turns keep-alive off for fetch and node:http, so no test
// can reuse a socket the server has closed meanwhile. Checked against a server in another process that counts
// the connections it accepts and would keep each one open for a minute.
const SERVER = `
const s = require("node:http").createServer((q, r) => r.end("ok"));
s.keepAliveTimeout = 60000;
let n = 0;
s.on("connection", () => n++);
s.on("request", (q) => { if (q.url === "/count") process.stdout.write("count " + n + "\\n"); });
s.listen(0, "127.0.0.1", () => process.stdout.write("port " + s.address().port + "\\n"));
`;

let child: ReturnType<typeof spawn>;
let port = 0;
let lines: string[] = [];

beforeAll(async () => {
  child = spawn(process.execPath, ["-e", SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (d: string) => lines.push(...d.split("\n").filter(Boolean)));
  port = await new Promise<number>((resolve) => {
    child.stdout!.on("data", () => {
      const line = lines.find((l) => l.startsWith("port "));
      if (line) resolve(Number(line.slice(5)));
    });
  });
});
afterAll(() => child.kill());

function get(pathname: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: pathname }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c) => (body += c)).on("end", () => resolve(body));
    }).on("error", reject);
  });
}

async function acceptedConnections(): Promise<number> {
  lines = [];
  const countSeen = new Promise<number>((resolve) => {
    const onData = () => {
      const line = lines.find((l) => l.startsWith("count "));
      if (line) {
        child.stdout!.off("data", onData);
        resolve(Number(line.slice(6)));
      }
    };
    child.stdout!.on("data", onData);
  });
  await (await fetch(`http://127.0.0.1:${port}/count`)).text();
  // The count excludes the connection of the /count request itself only if it is new; it is (see below).
  return (await countSeen) - 1;
}

describe("test HTTP clients", () => {
  it("open a new connection for every request, through fetch and through node:http", async () => {
    const before = await acceptedConnections();
    for (let i = 0; i < 3; i++) expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("ok");
    for (let i = 0; i < 2; i++) expect(await get("/")).toBe("ok");
    const after = await acceptedConnections();
    // 5 requests, plus the first /count request's connection: 6 new connections if none was reused.
    expect(after - before).toBe(6);
  });
});
