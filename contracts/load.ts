import { ContractError } from './errors.js';
import { inJail } from './jail/jail.js';
import type { ContractSource } from './jail/protocol.js';
import { MAX_TEXT } from './jail/read-contract.js';
import { CONTRACT_LIMITS, type ContractLimits } from './limits.js';

export type { ContractSource };

export interface LoadedContract {
  wasm: Uint8Array<ArrayBuffer>;
  source: ContractSource;
}

/** Refuses input too large to be a contract before any process is started for it. */
export function refuseOversize(input: Uint8Array | string): void {
  if (input.length > MAX_TEXT) throw new ContractError('That is too large to be a contract (over 1 MiB).');
}

/**
 * A contract as people hand it over (a .wasm file's bytes, its hex, or WebAssembly text), read in a jail
 * (jail/read-contract.ts): a valid WebAssembly module within the size limit, or a ContractError saying what is
 * wrong or which limit reading it ran into.
 */
export async function loadContract(
  input: Uint8Array | string,
  limits: ContractLimits = { ...CONTRACT_LIMITS },
): Promise<LoadedContract> {
  refuseOversize(input);
  let loaded: LoadedContract | null = null;
  await inJail({ op: 'load', input, limits }, (message) => {
    if (message.kind === 'loaded') loaded = { wasm: message.wasm, source: message.source };
  });
  if (!loaded) throw new ContractError('The contract could not be read.');
  return loaded;
}
