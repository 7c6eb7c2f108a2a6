// The signer server's edges: what every response carries, and what a client that sends something broken gets back.
// Fastify answers some requests before any route or hook runs (a URL that does not decode, a path parameter over
// maxParamLength, an HTTP request Node cannot parse); each of those is answered here the same way as the rest.
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message: plainText(message).slice(0, 500) } };
}

/**
 * Text a person reads, without what no person wrote: control characters (a stray heap byte a compiler's message
 * carried, e.g. wabt's "contract.wat\u001b"), direction overrides that make text display as something it is
 * not, lone surrogates and replacement characters. Newlines and tabs stay.
 */
export function plainText(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffd]|\p{Cs}/gu,
    '',
  );
}

/** Fastify's own early answers (frameworkErrors): the same headers and error shape as every other reply. */
export function frameworkError(
  error: Error & { code?: string },
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  const [status, code, message] =
    error.code === 'FST_ERR_BAD_URL'
      ? [400, 'bad_request', 'The address is not valid (a broken %-escape).']
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? [414, 'too_long', 'The address is too long.']
        : [400, 'bad_request', 'The request is not valid.'];
  return reply.headers(SECURITY_HEADERS).status(status).send(errorBody(code, message));
}

/**
 * Requests Node's HTTP parser refuses (headers too large, bad characters, a broken request line) never reach
 * Fastify: they are answered on the socket, with the security headers and a JSON body like every other error.
 */
export function clientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return void socket.destroy();
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const [status, reason, message] = tooLarge
    ? [431, 'Request Header Fields Too Large', 'The request headers are too large.']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'The request took too long.']
      : [400, 'Bad Request', 'The request is not valid HTTP.'];
  const body = JSON.stringify(errorBody(tooLarge ? 'too_large' : 'bad_request', message));
  const headers = Object.entries({
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${headers}\r\n${body}`);
}

/** The status of a failed request: a client's mistake is always a 4xx, whatever threw it; ours a 500. */
export function clientStatus(error: unknown): number | null {
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return status;
  // Thrown while reading what the client sent (a %-escape that does not decode in a header or a path).
  if (error instanceof URIError) return 400;
  return null;
}

/** A file name sent %-encoded in a header: decoded, or null when it does not decode or is no plain name. */
export function decodeFileName(header: string | string[] | undefined): string | null {
  if (header === undefined) return 'contract.wasm';
  if (Array.isArray(header) || header.length > 400) return null;
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    return null;
  }
  if (name !== plainText(name) || /[\n\t/\\]/.test(name) || name.length === 0 || name.length > 100)
    return null;
  return name;
}
