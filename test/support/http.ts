import {
  decodeTransactionHex,
  encodeTransactionHex,
  signTransaction,
  type PrivateKey,
} from '../../pactus/index.js';

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Small fetch wrapper for the signer server API in tests. */
export async function http<T = Record<string, unknown>>(
  url: string,
  init?: RequestInit & { json?: unknown },
): Promise<HttpResult<T>> {
  const response = await fetch(url, {
    ...init,
    ...(init?.json !== undefined && {
      method: init.method ?? 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(init.json),
    }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (the HTML page)
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** The signer API address behind a signing link's page (`/s/<token>` -> `/api/links/<token>`). */
export function linkApi(url: string): string {
  return url.replace('/s/', '/api/links/');
}

/** Does what the page does for a transaction link: fetch the unsigned bytes, sign them with `key`, submit. */
export async function signTransactionLink(url: string, key: PrivateKey): Promise<HttpResult> {
  const link = await http<{ unsignedTx: string }>(linkApi(url));
  const signed = signTransaction(decodeTransactionHex(link.body.unsignedTx), key);
  return http(linkApi(url), { json: { signedTx: encodeTransactionHex(signed) } });
}
