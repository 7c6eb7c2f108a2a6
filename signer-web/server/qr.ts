import QRCode from 'qrcode';
import type { Network } from '../../pactus/network.js';
import { parsePaymentUri } from '../../pactus/uri.js';

const NETWORKS = ['mainnet', 'testnet'] as const;

function isPaymentUri(uri: string, network: Network): boolean {
  try {
    parsePaymentUri(uri, network);
    return true;
  } catch {
    return false;
  }
}

/**
 * The QR code of a PIP-42 payment URI as SVG, drawn server-side so the page stays within its size budget. The page
 * asks for the URI it built itself from the decoded bytes, so the code shows exactly that text; anything that is
 * not a valid payment URI on the server's network is refused (no general-purpose QR service on our origin).
 */
export async function paymentQrSvg(uri: string): Promise<string | null> {
  if (uri.length > 1000 || !NETWORKS.some((network) => isPaymentUri(uri, network))) return null;
  // Medium error correction and the standard 4-module quiet zone: phone cameras read it off a screen reliably.
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/** A small mark for browser tabs and home screens. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0b63ce"/><path d="M10 25V7h7.5a5.5 5.5 0 0 1 0 11H14v7z" fill="#fff"/><circle cx="17" cy="12.5" r="2" fill="#0b63ce"/></svg>';
