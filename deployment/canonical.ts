// Canonical JSON: one text for one value, so a hash of it is something anyone can recompute in any language.
// Object keys are sorted by their UTF-16 code units (JavaScript's default sort), arrays keep their order, no
// whitespace; only strings, safe integers, booleans, null, arrays and plain objects are allowed (money is a
// decimal string of NanoPAC, never a float), and a key whose value is undefined is absent, as after a JSON round
// trip. Anything else throws: a value that could print two ways must never be hashed.
import { bytesToHex, hash256, utf8ToBytes } from '../pactus/bytes.js';

export class CanonicalJsonError extends Error {}

function write(value: unknown, path: string, out: string[]): void {
  if (value === null || typeof value === 'boolean') out.push(String(value));
  else if (typeof value === 'string') out.push(JSON.stringify(value));
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new CanonicalJsonError(`${path || 'the value'} is not a whole number within 2^53`);
    out.push(String(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i) out.push(',');
      write(item, `${path}[${i}]`, out);
    });
    out.push(']');
  } else if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    out.push('{');
    entries.forEach(([key, item], i) => {
      if (i) out.push(',');
      out.push(JSON.stringify(key), ':');
      write(item, path ? `${path}.${key}` : key, out);
    });
    out.push('}');
  } else throw new CanonicalJsonError(`${path || 'the value'} cannot be written as canonical JSON`);
}

export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, '', out);
  return out.join('');
}

/** BLAKE2b-256 of the canonical JSON, lowercase hex: what an anchor's memo commits to. */
export function canonicalHash(value: unknown): string {
  return bytesToHex(hash256(utf8ToBytes(canonicalJson(value))));
}
