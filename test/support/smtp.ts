import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { rcpt: string[]; mail: ParsedMail };

export type TestSmtp = {
  url: string;
  inbox: ReceivedMail[];
  /** Messages to `address`, oldest first. */
  mailsTo: (address: string) => ReceivedMail[];
  /** Resolves with the next message to `address` that is not among the first `after` (waits for delivery, no sleeps). */
  nextMailTo: (address: string, after: number) => Promise<ReceivedMail>;
  close: () => Promise<void>;
};

/** A real SMTP server on loopback that keeps what it receives, parsed. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const inbox: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            inbox.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), mail });
            waiters.splice(0).forEach((wake) => wake());
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const mailsTo = (address: string) => inbox.filter((m) => m.rcpt.includes(address));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    inbox,
    mailsTo,
    nextMailTo: async (address, after) => {
      for (;;) {
        const found = mailsTo(address)[after];
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The six-digit code in a sign-in e-mail's text. */
export function codeIn(received: ReceivedMail): string {
  const match = /\b(\d{6})\b/.exec(received.mail.text ?? "");
  if (!match) throw new Error(`no code in: ${received.mail.text}`);
  return match[1]!;
}
