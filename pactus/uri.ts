import { Address, parseAddressFor } from './address.js';
import { formatPac, parsePac } from './amount.js';
import { utf8ToBytes } from './bytes.js';
import { UriError } from './errors.js';
import type { Network } from './network.js';
import { MAX_MEMO_BYTES } from './tx.js';

/** A PIP-42 payment request: `pactus:<address>?amount=<PAC decimal>&memo=<url-encoded>`. */
export interface PaymentUri {
  address: Address;
  amount: bigint | null;
  memo: string | null;
}

export function buildPaymentUri(request: PaymentUri, network: Network): string {
  const params: string[] = [];
  if (request.amount !== null) params.push(`amount=${formatPac(request.amount)}`);
  if (request.memo) params.push(`memo=${encodeURIComponent(request.memo)}`);
  return `pactus:${request.address.toString(network)}${params.length ? `?${params.join('&')}` : ''}`;
}

export function parsePaymentUri(uri: string, network: Network): PaymentUri {
  const match = /^pactus:([^?]+)(?:\?(.*))?$/i.exec(uri.trim());
  if (!match) throw new UriError('A payment link starts with "pactus:" followed by an address.');
  const address = parseAddressFor(match[1]!, network, 'account');
  let amount: bigint | null = null;
  let memo: string | null = null;
  for (const part of (match[2] ?? '').split('&').filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    let value: string;
    try {
      value = decodeURIComponent((eq < 0 ? '' : part.slice(eq + 1)).replaceAll('+', ' '));
    } catch {
      throw new UriError(`The "${key.slice(0, 20)}" parameter is not valid URL encoding.`);
    }
    if (key === 'amount') {
      if (amount !== null) throw new UriError('The amount is given twice.');
      amount = parsePac(value);
    } else if (key === 'memo') {
      if (memo !== null) throw new UriError('The memo is given twice.');
      if (utf8ToBytes(value).length > MAX_MEMO_BYTES)
        throw new UriError(`The memo is over ${MAX_MEMO_BYTES} bytes.`);
      memo = value;
    }
    // Other parameters are ignored, as PIP-42 leaves room for extensions.
  }
  return { address, amount, memo };
}
