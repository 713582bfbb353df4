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
  const scale = 8; // viewBox units per module, so the text keeps a fixed size whatever the QR version
  const width = size * scale;
  const head = 72;
  const foot = 96;
  const amount = `${formatBaht(payment.amountSatang)} THB`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${head + width + foot}" width="${width / 2}" height="${(head + width + foot) / 2}" role="img" aria-label="${escapeXml(`Thai QR Payment, PromptPay bill payment, ${amount}, reference ${payment._id}`)}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<rect width="${width}" height="${head}" fill="#0b3d6b"/>`,
    `<text x="${width / 2}" y="${head / 2 + 14}" text-anchor="middle" font-family="Sarabun, Arial, sans-serif" font-size="40" font-weight="700" fill="#fff">THAI QR PAYMENT</text>`,
    `<g transform="translate(0 ${head}) scale(${scale})">${paths}</g>`,
    `<text x="${width / 2}" y="${head + width + 44}" text-anchor="middle" font-family="Sarabun, Arial, sans-serif" font-size="44" font-weight="700" fill="#1a1a1a">${escapeXml(amount)}</text>`,
    `<text x="${width / 2}" y="${head + width + 82}" text-anchor="middle" font-family="Sarabun, Arial, sans-serif" font-size="26" fill="#5b6470">PromptPay bill payment · Ref1 ${escapeXml(payment._id)}</text>`,
    `</svg>`,
  ].join("");
}
