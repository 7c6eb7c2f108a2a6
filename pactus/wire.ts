import { CodecError } from './errors.js';

/** A bounds-checked cursor over bytes; every failure is a CodecError that names the byte offset. */
export class ByteReader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  fail(reason: string, at = this.offset): never {
    throw new CodecError(reason, at);
  }

  u8(what: string): number {
    if (this.remaining < 1) this.fail(`unexpected end of data reading ${what}`);
    return this.bytes[this.offset++]!;
  }

  u32(what: string): number {
    if (this.remaining < 4) this.fail(`unexpected end of data reading ${what}`);
    const b = this.bytes;
    const o = this.offset;
    this.offset += 4;
    return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
  }

  take(length: number, what: string): Uint8Array {
    if (this.remaining < length) this.fail(`unexpected end of data reading ${what} (${length} bytes)`);
    const out = this.bytes.slice(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  /** Unsigned LEB128, at most 10 bytes, canonical (no redundant trailing zero groups), within 64 bits. */
  varint(what: string): bigint {
    const start = this.offset;
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8(what);
      if (i === 9 && byte > 1) this.fail(`${what} overflows 64 bits`, start);
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) this.fail(`non-canonical varint in ${what}`, start);
        return value;
      }
    }
    return this.fail(`${what} varint is longer than 10 bytes`, start);
  }

  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} unexpected trailing byte(s)`);
  }
}

export class ByteWriter {
  private chunks: number[] = [];

  u8(value: number): this {
    this.chunks.push(value & 0xff);
    return this;
  }

  u32(value: number): this {
    for (let i = 0; i < 4; i++) this.chunks.push((value >>> (8 * i)) & 0xff);
    return this;
  }

  bytes(data: Uint8Array): this {
    for (const b of data) this.chunks.push(b);
    return this;
  }

  varint(value: bigint): this {
    if (value < 0n || value >= 1n << 64n) throw new RangeError('varint out of range');
    let v = value;
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.chunks.push(byte);
    } while (v !== 0n);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}
