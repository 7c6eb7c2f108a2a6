// Runs inside the jail only: wabt and V8's validator read whatever a person sent, in a process that ends after.
import { createRequire } from 'node:module';
import { ContractError } from '../errors.js';
import type { ContractLimits } from '../limits.js';
import type { ContractSource } from './protocol.js';

export interface LoadedContract {
  wasm: Uint8Array<ArrayBuffer>;
  source: ContractSource;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
export const MAX_TEXT = 1024 * 1024;

const isWasm = (bytes: Uint8Array) => MAGIC.every((b, i) => bytes[i] === b);

interface WabtModule {
  validate(): void;
  toBinary(options: object): { buffer: Uint8Array };
  destroy(): void;
}
type Wabt = { parseWat(filename: string, text: string, features: object): WabtModule };

/**
 * A contract as people hand it over: a .wasm file's bytes, its hex (console, chat), or WebAssembly text (WAT,
 * compiled with wabt). Whatever it is, the result is a module V8 validates within the size limit, or a
 * ContractError saying what is wrong (never echoing more than a short excerpt).
 */
export async function readContract(
  input: Uint8Array | string,
  wabtPath: string,
  limits: ContractLimits,
): Promise<LoadedContract> {
  let loaded: LoadedContract;
  if (typeof input !== 'string' && isWasm(input)) loaded = { wasm: new Uint8Array(input), source: 'wasm' };
  else {
    const text = (typeof input === 'string' ? input : new TextDecoder().decode(input)).trim();
    if (text.length > MAX_TEXT)
      throw new ContractError('That is too long to be a contract (over 1 MiB of text).');
    const hex = text.replace(/^0x/i, '').replace(/\s+/g, '');
    if (/^[0-9a-f]+$/i.test(hex)) loaded = { wasm: fromHex(hex), source: 'hex' };
    else if (text.startsWith('(')) loaded = { wasm: await compileWat(text, wabtPath, limits), source: 'wat' };
    else
      throw new ContractError(
        'I could not read that as a contract: send a .wasm file, its hex (starting 0061736d), or WebAssembly text starting with "(module".',
      );
  }
  if (loaded.wasm.length > limits.codeBytes)
    throw new ContractError(
      `The contract is ${loaded.wasm.length.toLocaleString('en-US')} bytes; the limit is ${limits.codeBytes.toLocaleString('en-US')} bytes.`,
    );
  if (!WebAssembly.validate(loaded.wasm))
    throw new ContractError(`Not a valid WebAssembly module: ${whyInvalid(loaded.wasm)}`);
  return loaded;
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  if (hex.length % 2) throw new ContractError('The hex has an odd number of digits.');
  const bytes = Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
  if (!isWasm(bytes))
    throw new ContractError('The hex does not start with the WebAssembly magic number (0061736d).');
  return bytes;
}

/** Messages of an allocation that failed at a limit: V8's, or Emscripten's abort when its memory cannot grow. */
export const OUT_OF_MEMORY = /out of memory|\bOOM\b|cannot allocate|enlarge memory/i;

/** The words for a jail that ran out of memory while reading, naming both limits that can cause it. */
export const outOfMemory = (limits: ContractLimits) =>
  `Reading the contract needed more memory than the checker allows (${limits.wasmMemoryMb} MiB for the text compiler, ${limits.processMb} MiB in all), so it was stopped.`;

/**
 * wabt's own errors (a parse or validation message) are shown; anything else it throws means its WebAssembly
 * build failed on the input (its stack ran out: "memory access out of bounds"; or its memory could not grow:
 * "Aborted(OOM)"), after which that wabt instance is broken for good. Here that ends only this jail.
 */
async function compileWat(
  text: string,
  wabtPath: string,
  limits: ContractLimits,
): Promise<Uint8Array<ArrayBuffer>> {
  let module: WabtModule;
  try {
    const tools = await (createRequire(wabtPath)(wabtPath) as () => Promise<Wabt>)();
    module = tools.parseWat('contract.wat', text, {});
  } catch (error) {
    throw watError('does not parse', error, limits);
  }
  try {
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } catch (error) {
    throw watError('is not a valid module', error, limits);
  }
}

function watError(what: string, error: unknown, limits: ContractLimits): ContractError {
  const message = error instanceof Error ? error.message : String(error);
  if (/^(parseWat|validate) failed/.test(message))
    return new ContractError(`The WebAssembly text ${what}: ${excerpt(error)}`);
  if (OUT_OF_MEMORY.test(message)) return new ContractError(outOfMemory(limits));
  return new ContractError(
    'The WebAssembly text could not be compiled: the text compiler ran out of stack on it (too deeply nested). Send the .wasm binary instead.',
  );
}

/** V8's reason, e.g. "expected magic word" or "function body must end with end opcode @+123". */
function whyInvalid(wasm: Uint8Array<ArrayBuffer>): string {
  try {
    new WebAssembly.Module(wasm);
    return 'unknown reason';
  } catch (error) {
    return excerpt(error).replace(/^WebAssembly\.Module\(\): /, '');
  }
}

/**
 * A compiler's message, first lines only: enough to fix the code, never the whole input. wabt prints the file
 * name from its own heap, which can carry a stray byte after it ("contract.wat\u001b:1:2"): control and format
 * characters go, and the name becomes "line".
 */
function excerpt(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/^parseWat failed:\s*/, '')
    .replace(/^validate failed:\s*/, '')
    .replace(/(?!\n)[\p{Cc}\p{Cf}]/gu, '')
    .replace(/contract\.wat[^:\n]{0,8}:(\d+):(\d+)/g, 'line $1, column $2')
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 3)
    .join(' ')
    .slice(0, 300);
}
