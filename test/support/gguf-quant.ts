// Quantized GGUF tensors (ggml's Q8_0 and Q4_0 block formats) written straight to disk, for models the size of
// real ones (a 1.5B-parameter shape is ~1.2 GB): the bytes are produced per tensor and never concatenated.
import { BLOCK, BLOCK_BYTES, GGML, tensorBytes } from './gguf-file.js';

/** IEEE 754 binary16 bits of a float (round to nearest; scales here are normal numbers). */
export function f16(value: number): number {
  const f = new Float32Array([value]);
  const bits = new Uint32Array(f.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) return sign; // too small for a normal half: zero
  if (exponent >= 31) return sign | 0x7c00;
  return sign | (exponent << 10) | ((mantissa + 0x1000) >>> 13);
}

export function fromF16(h: number): number {
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Q8_0 as ggml's quantize_row_q8_0_ref: scale = max|x| / 127, q = round(x / scale). */
export function quantizeQ8_0(data: Float32Array): Buffer {
  const out = Buffer.alloc(tensorBytes(GGML.q8_0, data.length));
  for (let b = 0; b < data.length / BLOCK; b++) {
    let max = 0;
    for (let i = 0; i < BLOCK; i++) max = Math.max(max, Math.abs(data[b * BLOCK + i]!));
    const scale = max / 127;
    const inverse = scale ? 1 / scale : 0;
    out.writeUInt16LE(f16(scale), b * 34);
    for (let i = 0; i < BLOCK; i++) out.writeInt8(Math.round(data[b * BLOCK + i]! * inverse), b * 34 + 2 + i);
  }
  return out;
}

/** One row of a Q8_0 tensor back to floats. */
export function dequantizeQ8_0Row(bytes: Buffer, row: number, width: number): Float32Array {
  const out = new Float32Array(width);
  const start = (row * width * 34) / BLOCK;
  for (let b = 0; b < width / BLOCK; b++) {
    const scale = fromF16(bytes.readUInt16LE(start + b * 34));
    for (let i = 0; i < BLOCK; i++) out[b * BLOCK + i] = bytes.readInt8(start + b * 34 + 2 + i) * scale;
  }
  return out;
}

/** A deterministic byte stream (xorshift32), fast enough for a gigabyte. */
export function fillRandom(bytes: Buffer, seed: number): void {
  let s = seed >>> 0 || 1;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 4));
  for (let i = 0; i < words.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    words[i] = s >>> 0;
  }
}

/**
 * Random quantized values with every block's scale set to `scale` (random bytes in the scale field could be
 * NaN or infinity). Q8_0 values are then uniform in [-128, 127] * scale, Q4_0 in [-8, 7] * scale.
 */
export function randomQuantized(
  type: typeof GGML.q8_0 | typeof GGML.q4_0,
  elements: number,
  scale: number,
  seed: number,
): Buffer {
  const out = Buffer.allocUnsafe(tensorBytes(type, elements));
  fillRandom(out, seed);
  const half = f16(scale);
  const step = BLOCK_BYTES[type];
  for (let offset = 0; offset < out.length; offset += step) out.writeUInt16LE(half, offset);
  return out;
}
