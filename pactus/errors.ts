/**
 * Typed errors of the protocol layer. Every failure a user can cause (a bad amount, address, key or
 * transaction) surfaces as one of these, so callers can turn it into a plain message instead of a stack trace.
 */
export class PactusError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A short, safe excerpt of something a person typed, for an error message: control and direction characters
 * removed, never more than a few words (whatever was pasted by mistake is not repeated back), addresses shortened
 * to their recognisable ends.
 */
export function excerpt(text: string, max = 24): string {
  const clean = text
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^t?(pc|public)1\S{20,}$/i.test(clean)) return `${clean.slice(0, 12)}…${clean.slice(-6)}`;
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** A transaction (or other binary) that does not decode; `offset` is the byte where decoding stopped. */
export class CodecError extends PactusError {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super('codec', `${reason} at byte ${offset}`);
  }
}

export class AmountError extends PactusError {
  constructor(message: string) {
    super('amount', message);
  }
}

export class AddressError extends PactusError {
  constructor(message: string) {
    super('address', message);
  }
}

export class KeyError extends PactusError {
  constructor(message: string) {
    super('key', message);
  }
}

export class MnemonicError extends PactusError {
  constructor(message: string) {
    super('mnemonic', message);
  }
}

export class SignatureError extends PactusError {
  constructor(message: string) {
    super('signature', message);
  }
}

export class UriError extends PactusError {
  constructor(message: string) {
    super('uri', message);
  }
}
