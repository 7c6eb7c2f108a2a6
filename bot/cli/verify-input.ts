// What a verifier reads, read one way only. A bundle verified here is hashed from the value JSON.parse gives, but
// JSON lets one text give different values to different readers: a field named twice (JSON.parse keeps the last,
// other parsers the first or refuse), bytes that are not UTF-8 (decoders replace them, or refuse), a byte-order mark
// (fs + JSON.parse refuse it, fetch's json() drops it), a string with half a UTF-16 pair (no UTF-8 can hold it), a
// number written 1e2 or 1.0 or -0 (a reader into integers refuses it). A file that could verify with one tool and
// mean something else to another is refused here, by name; so is one too large to read in memory, before it is
// read, and one nested deeper than any file a bot writes.
import { open } from 'node:fs/promises';

/** Far above any real file (an epoch of 10,000 receipts is ~12 MB), below what a string can hold in V8. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;
/** A bundle nests six deep, a history five: deeper is no file of ours, and would exhaust recursive readers. */
export const MAX_DEPTH = 64;

export class InputError extends Error {}

export interface ReadLimits {
  maxBytes: number;
  timeoutMs: number;
}

const DEFAULTS: ReadLimits = { maxBytes: MAX_INPUT_BYTES, timeoutMs: 20_000 };
const size = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function fileBytes(path: string, maxBytes: number): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const { size: bytes } = await file.stat();
    if (bytes > maxBytes)
      throw new InputError(`it is ${size(bytes)}, more than the ${size(maxBytes)} a verifier reads`);
    return await file.readFile();
  } finally {
    await file.close();
  }
}

/** The body, up to `maxBytes`: a server that sends more (or says it will) is cut off, not buffered. */
async function urlBytes(url: string, limits: ReadLimits): Promise<Uint8Array> {
  const response = await fetch(url, { signal: AbortSignal.timeout(limits.timeoutMs) });
  if (!response.ok) throw new InputError(`${url} answered HTTP ${response.status}`);
  const tooLarge = () => new InputError(`it is more than the ${size(limits.maxBytes)} a verifier reads`);
  if (Number(response.headers.get('content-length') ?? 0) > limits.maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += chunk.length;
    if (total > limits.maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
/** Half of a UTF-16 pair on its own: with the u flag, a whole pair is one code point and does not match. */
const HALF_PAIR = /\p{Cs}/u;
const wellFormed = (s: string) => !HALF_PAIR.test(s);
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

function line(text: string, at: number): string {
  const before = text.slice(0, at);
  return `line ${before.split('\n').length}, column ${at - before.lastIndexOf('\n')}`;
}

/**
 * What JSON.parse does not refuse but a one-reading file must not hold: a key twice in one object (compared as
 * decoded text, so "a" and "\u0061" are one key), a number that is not a plain integer, a string escaping half of a
 * UTF-16 pair, nesting past MAX_DEPTH.
 * `text` is already known to be JSON, so the walk only tells strings, numbers and brackets apart.
 */
function ambiguities(text: string): string | null {
  type Frame = { keys: Set<string> | null; path: string; expectKey: boolean; key: string | null };
  const stack: Frame[] = [];
  const pathOf = (frame: Frame | undefined) => frame?.path || 'the top level';
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    const top = stack.at(-1);
    if (c === '{' || c === '[') {
      if (stack.length >= MAX_DEPTH) return `it nests deeper than ${MAX_DEPTH} levels (${line(text, i)})`;
      const path = top ? (top.keys ? `${top.path ? `${top.path}.` : ''}${top.key}` : `${top.path}[]`) : '';
      stack.push({ keys: c === '{' ? new Set() : null, path, expectKey: c === '{', key: null });
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ',') {
      if (top?.keys) top.expectKey = true;
      i++;
    } else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const raw = text.slice(i + 1, end);
      const isKey = top?.keys && top.expectKey;
      // Raw text decoded from UTF-8 holds no half pair; an escape can (JSON.parse takes "\ud800" as it is).
      const decoded = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
      if (!wellFormed(decoded))
        return `${isKey ? 'a field name' : 'a text'} in ${pathOf(top)} holds half of a UTF-16 pair (${line(text, i)}), which no UTF-8 text can hold`;
      if (isKey && top?.keys) {
        const key = decoded;
        if (top.keys.has(key))
          return `${pathOf(top)} names the field ${JSON.stringify(key)} twice (${line(text, i)}): readers differ on which one counts`;
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = end + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i + 1;
      while (end < text.length && /[0-9eE.+-]/.test(text[end]!)) end++;
      const token = text.slice(i, end);
      if (!INTEGER.test(token) || token === '-0')
        return `the number ${token} at ${line(text, i)} is not written as a plain whole number`;
      i = end;
    } else if (WHITESPACE.has(c) || c === ':') i++;
    else i += c === 't' ? 4 : c === 'f' ? 5 : 4; // true, false, null
  }
  return null;
}

/** The one value `bytes` can mean, or an InputError saying why it could mean more than one. */
export function strictJson(bytes: Uint8Array): unknown {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    throw new InputError('it starts with a byte-order mark, which some readers drop and others refuse');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InputError('it is not valid UTF-8');
  }
  let value: unknown;
  try {
    // No reviver: JSON.parse without one does not recurse, so any depth is read (and refused below) safely.
    value = JSON.parse(text);
  } catch (error) {
    // Not the parser's own message: it quotes the file's text back, line breaks and all.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new InputError(
      `it is not JSON${at ? ` (from byte ${at})` : ''} (bundles, receipts and manifests are the JSON files the bot serves)`,
    );
  }
  const ambiguous = ambiguities(text);
  if (ambiguous) throw new InputError(ambiguous);
  return value;
}

/** A local file, or an http(s) URL (a bot's signer server), as the one JSON value it can mean. */
export async function readVerifiable(source: string, limits: ReadLimits = DEFAULTS): Promise<unknown> {
  const bytes = /^https?:\/\//i.test(source)
    ? await urlBytes(source, limits)
    : await fileBytes(source, limits.maxBytes);
  return strictJson(bytes);
}
