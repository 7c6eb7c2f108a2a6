/**
 * Reading and writing the WebAssembly binary format's primitives (LEB128 integers, names, vectors), as the core
 * spec's "Binary Format / Values" chapter defines them. Every read either advances or throws a WasmDecodeError,
 * so no input, however malformed, makes a decoder loop or read past its end.
 */
export class WasmDecodeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = 'WasmDecodeError';
  }
}

export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
    readonly end = bytes.length,
  ) {}

  get done(): boolean {
    return this.at >= this.end;
  }

  fail(message: string, offset = this.at): never {
    throw new WasmDecodeError(message, offset);
  }

  byte(): number {
    if (this.at >= this.end) this.fail('unexpected end');
    return this.bytes[this.at++]!;
  }

  /** An unsigned LEB128 of at most `bits` bits (u32 by default), as the spec bounds its length. */
  u32(): number {
    const start = this.at;
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        if (value > 0xffff_ffff) this.fail('integer too large', start);
        return value;
      }
    }
    return this.fail('integer representation too long', start);
  }

  /** A signed LEB128 of at most `bits` bits (s32, s33 for block types, s64), skipped or returned as a number. */
  signed(bits: 32 | 33 | 64): number {
    const start = this.at;
    let value = 0;
    const maxBytes = Math.ceil(bits / 7);
    for (let i = 0; i < maxBytes; i++) {
      const b = this.byte();
      value += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) return b & 0x40 ? value - 2 ** (7 * (i + 1)) : value;
    }
    return this.fail('integer representation too long', start);
  }

  skip(n: number): void {
    if (n < 0 || this.at + n > this.end) this.fail('length past the end');
    this.at += n;
  }

  /** The next `n` bytes as their own reader (a section or a function body). */
  sub(n: number): Reader {
    const start = this.at;
    this.skip(n);
    return new Reader(this.bytes, start, start + n);
  }

  name(): string {
    const length = this.u32();
    const start = this.at;
    this.skip(length);
    return new TextDecoder().decode(this.bytes.subarray(start, start + length));
  }
}

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let b = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest) b |= 0x80;
    out.push(b);
  } while (rest);
  return out;
}

/** Signed LEB128 (values within a JS number's safe range). */
export function sleb(value: number | bigint): number[] {
  let rest = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const b = Number(rest & 0x7fn);
    rest >>= 7n;
    if ((rest === 0n && !(b & 0x40)) || (rest === -1n && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A name: its UTF-8 length, then its bytes. */
export function encodeName(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  return [...uleb(bytes.length), ...bytes];
}

/** A section: id, size, contents. */
export function encodeSection(id: number, contents: ArrayLike<number>): Uint8Array {
  const head = [id, ...uleb(contents.length)];
  const out = new Uint8Array(head.length + contents.length);
  out.set(head);
  out.set(contents as ArrayLike<number>, head.length);
  return out;
}

/** Joins byte chunks into one array. */
export function concat(chunks: ArrayLike<number>[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
