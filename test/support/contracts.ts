// Contract fixtures, written as WebAssembly text and compiled by the code under test (no binaries committed).
import { readFileSync, writeFileSync } from 'node:fs';

const STORAGE = `
  (import "env" "storage_get" (func $get (param i32 i32 i32 i32) (result i32)))
  (import "env" "storage_set" (func $set (param i32 i32 i32 i32)))`;

/** A counter kept in storage under "count": init sets 0, increment adds one and emits an event, get reads it. */
export const COUNTER_WAT = `(module ${STORAGE}
  (import "env" "emit_event" (func $emit (param i32 i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 0) "count")
  (data (i32.const 16) "incremented")
  (func $read (result i64)
    (if (result i64)
      (i32.eq (call $get (i32.const 0) (i32.const 5) (i32.const 32) (i32.const 8)) (i32.const 8))
      (then (i64.load (i32.const 32)))
      (else (i64.const 0))))
  (func $write (param $v i64)
    (i64.store (i32.const 32) (local.get $v))
    (call $set (i32.const 0) (i32.const 5) (i32.const 32) (i32.const 8)))
  (func (export "init") (call $write (i64.const 0)))
  (func (export "increment") (result i64)
    (local $v i64)
    (local.set $v (i64.add (call $read) (i64.const 1)))
    (call $write (local.get $v))
    (call $emit (i32.const 16) (i32.const 11))
    (local.get $v))
  (func (export "add") (param $n i64) (result i64)
    (local $v i64)
    (local.set $v (i64.add (call $read) (local.get $n)))
    (call $write (local.get $v))
    (local.get $v))
  (func (export "get") (result i64) (call $read)))`;

/** Imports WASI's fd_write, which the host ABI does not provide. */
export const FORBIDDEN_IMPORT_WAT = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1)
  (func (export "init"))
  (func (export "hello") (result i32) (call $w (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))`;

/** Computes with f32. */
export const FLOAT_WAT = `(module
  (memory (export "memory") 1 1)
  (func (export "init"))
  (func (export "half") (param $n i32) (result i32)
    (i32.trunc_f32_s (f32.div (f32.convert_i32_s (local.get $n)) (f32.const 2)))))`;

/** spin() never ends. */
export const INFINITE_LOOP_WAT = `(module
  (memory (export "memory") 1 1)
  (func (export "init"))
  (func (export "spin") (loop $forever (br $forever))))`;

/** Memory without a maximum, and bomb() grows it page by page forever. */
export const MEMORY_BOMB_WAT = `(module
  (memory (export "memory") 1)
  (func (export "init"))
  (func (export "bomb") (loop $more (drop (memory.grow (i32.const 1))) (br $more))))`;

/** The magic number and version, then garbage. */
export const INVALID_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0xff, 0x01]);

/** The peak resident memory (VmHWM, KiB) of a process: this one by default. */
export function peakMemoryKb(pid: number | 'self' = 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)![1]);
}

/** Resets this process's VmHWM to its current resident memory (Linux: "5" to /proc/self/clear_refs). */
export function resetPeakMemory(): number {
  writeFileSync('/proc/self/clear_refs', '5');
  return peakMemoryKb();
}

/** The words a chat reply uses for each finding the hostile suite expects. */
export const FINDING_WORDS: Record<string, RegExp> = {
  memory_limit: /declares \d+ memory pages; the limit is 16/,
  table_limit: /table\(s\); the limit is 1 table of 1024 entries/,
  forbidden_import: /which the host does not provide[\s\S]*… and [\d,]+ more like those/,
};

/** A pattern written against a report's start (^...) found anywhere in a reply. */
export const anywhere = (pattern: RegExp) => new RegExp(pattern.source.replace(/^\^/, ''), pattern.flags);
