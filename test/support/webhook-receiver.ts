import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { method: string; path: string; headers: http.IncomingHttpHeaders; body: string; at: Date };

/**
 * A real webhook receiver on 127.0.0.1 (a free port): records every request, in order, and answers with the
 * scripted status codes in turn (the last one repeats); `answer(...)` scripts the next ones.
 */
export async function startReceiver(script: number[] = [200]) {
  let codes = [...script];
  const received: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: new Date() });
      const code = codes.length > 1 ? codes.shift()! : (codes[0] ?? 200);
      res.writeHead(code, { "content-type": "text/plain" });
      res.end(code >= 200 && code < 300 ? "ok" : `receiver says ${code}`);
      for (const w of [...waiters]) {
        if (received.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** The next answers (the last one repeats). */
    answer: (...next: number[]) => {
      codes = next;
    },
    /** Resolves once `count` requests in all have arrived. */
    waitFor: (count: number) =>
      received.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    /** The headers the Standard Webhooks verifier takes, of request `i`. */
    headersOf: (i: number) => {
      const h = received[i]!.headers;
      return { "webhook-id": String(h["webhook-id"]), "webhook-timestamp": String(h["webhook-timestamp"]), "webhook-signature": String(h["webhook-signature"]) };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
