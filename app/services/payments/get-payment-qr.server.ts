import QRCode from "qrcode";
import type { Actor } from "~/core/actor";
import { formatBaht } from "~/core/payments/fees";
import { billPaymentQrPayload } from "~/core/payments/promptpay-qr";
import { loadPayableCasePayment } from "./load-case-payment.server";

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The PromptPay bill-payment QR of a payment request as an SVG image, framed as the Thai QR Payment standard
 * asks: the words "Thai QR Payment" above the code and the amount under it (no trademarked logo). The QR is
 * drawn by `qrcode` (error correction M, a quiet zone of four modules as the standard's scanners expect).
 */
export async function getPaymentQrSvg(actor: Actor, caseId: string, reference: string, now: Date): Promise<string> {
  const { payment, agency } = await loadPayableCasePayment(actor, caseId, reference, now);
  const payload = billPaymentQrPayload({ billerId: agency.billerId, ref1: payment._id, ref2: payment.ref2, amountSatang: payment.amountSatang });
  const qr = await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 4 });
  // qrcode's SVG is `<svg … viewBox="0 0 N N" …><path …/><path …/></svg>`: its paths are placed in a taller frame.
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(qr)?.[1] ?? "0");
  const paths = qr.replace(/^[\s\S]*?<svg[^>]*>/, "").replace(/<\/svg>\s*$/, "");
  const scale = 8; // viewBox units per module
  const qrWidth = size * scale;
  // A frame at least 480 units wide, so the words keep their size whatever the QR version; the code centred in it.
  const width = Math.max(qrWidth, 480);
  const head = 72;
  const foot = 124;
  const height = head + qrWidth + foot;
  const amount = `${formatBaht(payment.amountSatang)} THB`;
  const text = (y: number, size: number, fill: string, body: string, weight = 400) =>
    `<text x="${width / 2}" y="${y}" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" font-size="${size}" font-weight="${weight}" fill="${fill}">${escapeXml(body)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width / 2}" height="${height / 2}" role="img" aria-label="${escapeXml(`Thai QR Payment, PromptPay bill payment, ${amount}, reference ${payment._id}`)}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<rect width="${width}" height="${head}" fill="#0b3d6b"/>`,
    text(head / 2 + 13, 36, "#fff", "THAI QR PAYMENT", 700),
    `<g transform="translate(${(width - qrWidth) / 2} ${head}) scale(${scale})">${paths}</g>`,
    text(head + qrWidth + 40, 40, "#1a1a1a", amount, 700),
    text(head + qrWidth + 76, 22, "#5b6470", "PromptPay bill payment"),
    text(head + qrWidth + 106, 22, "#5b6470", `Ref1 ${payment._id}`),
    `</svg>`,
  ].join("");
}
