// The GGUF container (llama.cpp's gguf.h, version 3): metadata key/values, tensor infos, aligned tensor data.
// Tensors are written one by one, so a file the size of a real model (~1.2 GB) is never held as one buffer.
import { closeSync, openSync, writeSync } from 'node:fs';

/** ggml type ids (ggml.h: GGML_TYPE_F32 = 0, GGML_TYPE_Q4_0 = 2, GGML_TYPE_Q8_0 = 8). */
export const GGML = { f32: 0, q4_0: 2, q8_0: 8 } as const;
export type GgmlType = (typeof GGML)[keyof typeof GGML];

export const BLOCK = 32;
/** Bytes per 32-value block: an f16 scale, then 32 int8 (Q8_0) or 32 packed 4-bit values (Q4_0). */
export const BLOCK_BYTES = { [GGML.q8_0]: 34, [GGML.q4_0]: 18 } as const;

export interface RawTensor {
  name: string;
  /** ggml order: dims[0] is the contiguous one (a multiple of 32 for quantized types). */
  dims: number[];
  type: GgmlType;
  bytes: Buffer;
}

export function tensorBytes(type: GgmlType, elements: number): number {
  if (type === GGML.f32) return elements * 4;
  if (elements % BLOCK) throw new Error(`${elements} values are not whole ${BLOCK}-value blocks`);
  return (elements / BLOCK) * BLOCK_BYTES[type];
}

const enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}

export type Meta =
  | { type: 'u32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'str'; value: string }
  | { type: 'str[]'; value: string[] }
  | { type: 'f32[]'; value: number[] }
  | { type: 'i32[]'; value: number[] };

class Writer {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest) this.push(Buffer.alloc(alignment - rest));
  }
  done(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeMeta(w: Writer, key: string, meta: Meta): void {
  w.str(key);
  switch (meta.type) {
    case 'u32':
      w.u32(ValueType.UINT32);
      w.u32(meta.value);
      break;
    case 'f32':
      w.u32(ValueType.FLOAT32);
      w.f32(meta.value);
      break;
    case 'bool':
      w.u32(ValueType.BOOL);
      w.push(Buffer.from([meta.value ? 1 : 0]));
      break;
    case 'str':
      w.u32(ValueType.STRING);
      w.str(meta.value);
      break;
    case 'str[]':
      w.u32(ValueType.ARRAY);
      w.u32(ValueType.STRING);
      w.u64(meta.value.length);
      for (const s of meta.value) w.str(s);
      break;
    case 'f32[]':
      w.u32(ValueType.ARRAY);
      w.u32(ValueType.FLOAT32);
      w.u64(meta.value.length);
      for (const v of meta.value) w.f32(v);
      break;
    case 'i32[]':
      w.u32(ValueType.ARRAY);
      w.u32(ValueType.INT32);
      w.u64(meta.value.length);
      for (const v of meta.value) w.i32(v);
      break;
  }
}

export interface Tensor {
  name: string;
  /** ggml order: dims[0] is the contiguous one. */
  dims: number[];
  data: Float32Array;
}

/** F32 tensors, as the small scripted models use. */
export function writeGguf(path: string, meta: [string, Meta][], tensors: Tensor[]): void {
  writeGgufRaw(
    path,
    meta,
    tensors.map((t) => ({
      name: t.name,
      dims: t.dims,
      type: GGML.f32,
      bytes: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
    })),
  );
}

/** A GGUF v3 file of already-encoded tensors, written tensor by tensor. */
export function writeGgufRaw(path: string, meta: [string, Meta][], tensors: RawTensor[]): void {
  const w = new Writer();
  w.push(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(meta.length);
  for (const [key, value] of meta) writeMeta(w, key, value);
  let offset = 0;
  const align = (n: number) => Math.ceil(n / 32) * 32;
  for (const t of tensors) {
    const elements = t.dims.reduce((a, b) => a * b, 1);
    if (t.bytes.length !== tensorBytes(t.type, elements))
      throw new Error(`${t.name}: ${t.bytes.length} bytes for ${elements} values of type ${t.type}`);
    w.str(t.name);
    w.u32(t.dims.length);
    for (const dim of t.dims) w.u64(dim);
    w.u32(t.type);
    w.u64(offset);
    offset += align(t.bytes.length);
  }
  w.pad(32);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, w.done());
    for (const t of tensors) {
      writeSync(fd, t.bytes);
      const padding = align(t.bytes.length) - t.bytes.length;
      if (padding) writeSync(fd, Buffer.alloc(padding));
    }
  } finally {
    closeSync(fd);
  }
}
