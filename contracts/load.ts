import wabtInit from 'wabt';
import { ContractError } from './errors.js';
import { CONTRACT_LIMITS } from './limits.js';

export type ContractSource = 'wasm' | 'wat' | 'hex';

export interface LoadedContract {
  wasm: Uint8Array<ArrayBuffer>;
  source: ContractSource;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const MAX_TEXT = 1024 * 1024;

let wabt: ReturnType<typeof wabtInit> | null = null;

const isWasm = (bytes: Uint8Array) => MAGIC.every((b, i) => bytes[i] === b);

/**
 * A contract as people hand it over: a .wasm file's bytes, its hex (console, chat), or WebAssembly text (WAT,
 * compiled with wabt). Whatever it is, the result is a valid WebAssembly binary within the size limit, or a
 * ContractError saying what is wrong (never echoing more than a short excerpt).
 */
export async function loadContract(input: Uint8Array | string): Promise<LoadedContract> {
  let loaded: LoadedContract;
  if (typeof input !== 'string' && isWasm(input)) loaded = { wasm: new Uint8Array(input), source: 'wasm' };
  else {
    const text = (typeof input === 'string' ? input : new TextDecoder().decode(input)).trim();
    if (text.length > MAX_TEXT)
      throw new ContractError('That is too long to be a contract (over 1 MiB of text).');
    const hex = text.replace(/^0x/i, '').replace(/\s+/g, '');
    if (/^[0-9a-f]+$/i.test(hex)) loaded = { wasm: fromHex(hex), source: 'hex' };
    else if (text.startsWith('(')) loaded = { wasm: await compileWat(text), source: 'wat' };
    else
      throw new ContractError(
        'I could not read that as a contract: send a .wasm file, its hex (starting 0061736d), or WebAssembly text starting with "(module".',
      );
  }
  if (loaded.wasm.length > CONTRACT_LIMITS.codeBytes)
    throw new ContractError(
      `The contract is ${loaded.wasm.length.toLocaleString('en-US')} bytes; the limit is ${CONTRACT_LIMITS.codeBytes.toLocaleString('en-US')} bytes.`,
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

async function compileWat(text: string): Promise<Uint8Array<ArrayBuffer>> {
  wabt ??= wabtInit();
  const tools = await wabt;
  let module;
  try {
    module = tools.parseWat('contract.wat', text, {});
  } catch (error) {
    throw new ContractError(`The WebAssembly text does not parse: ${excerpt(error)}`);
  }
  try {
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } catch (error) {
    throw new ContractError(`The WebAssembly text is not a valid module: ${excerpt(error)}`);
  } finally {
    module.destroy();
  }
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

/** A compiler's message, first lines only: enough to fix the code, never the whole input. */
function excerpt(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/^parseWat failed:\s*/, '')
    .replace(/^validate failed:\s*/, '')
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 3)
    .join(' ')
    .slice(0, 300);
}
