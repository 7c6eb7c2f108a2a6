// A devnet chain in process for rule tests (no sockets): fixed keys (no PIP-11 derivation), a fixed clock so every
// block hash, and so every committee draw, is the same on each run, and helpers to sign and submit.
import { beforeAll } from 'vitest';
import {
  NANO_PER_PAC,
  PayloadType,
  PrivateKey,
  encodeTransaction,
  newTransaction,
  signTransaction,
  type Address,
  type Payload,
  type PublicKey,
} from '../../pactus/index.js';
import { DevnetChain, TxRejected, type BlockRecord, type DevnetChainOptions } from '../../devnet/chain.js';
import { DEFAULT_DEVNET_MNEMONIC, type DevnetKeys } from '../../devnet/genesis.js';
import { fixedDevnetKeys } from './fixed-keys.js';

export const PAC = NANO_PER_PAC;

export interface RuleChains {
  keys: DevnetKeys;
  /** Validator keys nobody bonded (fixed bytes). */
  fresh: PublicKey[];
  chain(options?: Partial<DevnetChainOptions>, history?: BlockRecord[]): DevnetChain;
  /** The funded accounts: 0-3 Ed25519, 4-7 BLS. */
  account(i: number): DevnetKeys['accounts'][number];
  signed(c: DevnetChain, key: PrivateKey, payload: Payload, fee?: bigint): Uint8Array;
  send(c: DevnetChain, from?: number, to?: Address, amount?: bigint): { id: string; pooled: boolean };
}

export function ruleChains(freshCount = 9): RuleChains {
  const keys = fixedDevnetKeys();
  const fresh = Array.from({ length: freshCount }, (_, i) =>
    PrivateKey.fromBytes('bls', new Uint8Array(32).fill(i + 1)).publicKey(),
  );
  let memo = 0;
  const account = (i: number) => keys.accounts[i]!;
  const signed = (c: DevnetChain, key: PrivateKey, payload: Payload, fee = PAC / 100n) =>
    encodeTransaction(
      signTransaction(newTransaction({ lockTime: c.height, fee, memo: `m${memo++}`, payload }), key),
    );
  return {
    keys,
    fresh,
    account,
    signed,
    chain(options = {}, history = []) {
      let clock = 1_800_000_000;
      return new DevnetChain(
        { mnemonic: DEFAULT_DEVNET_MNEMONIC, keys, now: () => clock++, ...options },
        history,
      );
    },
    send: (c, from = 0, to = account(1).address, amount = 1n) =>
      c.submit(
        signed(c, account(from).key, { type: PayloadType.Transfer, from: account(from).address, to, amount }),
      ),
  };
}

/** ruleChains() made once before the file's tests (key material costs a second on a loaded machine). */
export function useRuleChains(): RuleChains {
  let inner: RuleChains;
  beforeAll(() => {
    inner = ruleChains();
  });
  return {
    get keys() {
      return inner.keys;
    },
    get fresh() {
      return inner.fresh;
    },
    chain: (...a) => inner.chain(...a),
    account: (i) => inner.account(i),
    signed: (...a) => inner.signed(...a),
    send: (...a) => inner.send(...a),
  };
}

/** The node's refusal text, or null when it was accepted. */
export function rejection(f: () => unknown): string | null {
  try {
    f();
  } catch (error) {
    if (error instanceof TxRejected) return error.message;
    throw error;
  }
  return null;
}
