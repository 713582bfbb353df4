import nodemailer, { type Transporter } from "nodemailer";
import { env } from "~/utils/env.server";

export type MailAttachment = { filename: string; content: Buffer; contentType: string };

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
  /** With the angle brackets, e.g. `<effect-id@borikan>`. */
  messageId: string;
  headers?: Record<string, string>;
};

export type MailOutcome = { delivered: true; messageId: string; response: string } | { delivered: false };

let transport: { url: string; transporter: Transporter } | undefined;

/**
 * One SMTP transport per process, from SMTP_URL. The timeouts stay well under the effect lease
 * (STALE_CLAIM_MS, 60 s): a send still hanging when the lease goes stale could be repeated by the sweep.
 */
function transporterFor(url: string): Transporter {
  if (transport?.url !== url) {
    transport = {
      url,
      transporter: nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }),
    };
  }
  return transport.transporter;
}

/**
 * Sends one message through SMTP_URL. Without SMTP_URL nothing is sent and `{ delivered: false }` is
 * returned quietly: the case page is then the applicant's channel. SMTP errors are thrown as they are
 * (nodemailer's `responseCode`, `command`), so the caller can tell a refused address from an outage.
 */
export async function sendMail(message: MailMessage): Promise<MailOutcome> {
  const { SMTP_URL, MAIL_FROM } = env();
  if (!SMTP_URL) return { delivered: false };
  const info = (await transporterFor(SMTP_URL).sendMail({
    from: MAIL_FROM,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    attachments: message.attachments,
    messageId: message.messageId,
    headers: message.headers,
  })) as { messageId?: string; response?: string };
  return { delivered: true, messageId: info.messageId ?? message.messageId, response: info.response ?? "" };
}
