import { bytesToHex, tryHexToBytes, utf8ToBytes } from './bytes.js';
import { SignatureError } from './errors.js';
import type { PrivateKey, PublicKey } from './keys.js';

/**
 * PIP-23 message signing signs the raw UTF-8 bytes with no prefix, so a "message" equal to a transaction's
 * sign bytes would sign that transaction. Sign bytes start with the version byte 0x01; a message made only of
 * printable text (plus newlines and tabs) can never be one. Anything else is refused before signing.
 */
export function isSafeMessage(message: string | Uint8Array): boolean {
  const text = typeof message === 'string' ? message : decodeOrNull(message);
  if (text === null || text.length === 0) return false;
  const first = text.charCodeAt(0);
  if (first < 0x20 || first === 0x7f) return false;
  // Control characters (other than newline and tab) and bidi overrides could hide what is being signed.
  return !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text);
}

function decodeOrNull(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Signs a text message (PIP-23) and returns the signature as lowercase hex. */
export function signMessage(key: PrivateKey, message: string): string {
  if (!isSafeMessage(message))
    throw new SignatureError('Refusing to sign: the message is not plain printable text.');
  return bytesToHex(key.sign(utf8ToBytes(message)));
}

export function verifyMessage(key: PublicKey, message: string, signatureHex: string): boolean {
  const signature = tryHexToBytes(signatureHex);
  return signature !== null && key.verify(utf8ToBytes(message), signature);
}
