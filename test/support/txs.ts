import {
  NANO_PER_PAC,
  PayloadType,
  encodeTransactionHex,
  newTransaction,
  signTransaction,
  type Address,
  type Payload,
  type PrivateKey,
  type Transaction,
} from '../../pactus/index.js';
import type { Devnet } from '../../devnet/index.js';
import { devnetAccountKey, type DevnetKey } from '../../devnet/genesis.js';

export const PAC = NANO_PER_PAC;
export const FEE = PAC / 100n;

export function devnetAccount(
  devnet: Devnet,
  purpose: 'ed25519-account' | 'bls-account',
  index: number,
): DevnetKey {
  return devnetAccountKey(devnet.chain.keys, purpose, index);
}

export function devnetValidator(devnet: Devnet, index: number): DevnetKey {
  return devnet.chain.keys.validators[index]!;
}

/** Builds and signs a transaction at the devnet's current height. */
export function signedTx(
  devnet: Devnet,
  key: PrivateKey,
  payload: Payload,
  options: { fee?: bigint; memo?: string; lockTime?: number } = {},
): { tx: Transaction; hex: string } {
  const fee =
    options.fee ?? (payload.type === PayloadType.Unbond || payload.type === PayloadType.Sortition ? 0n : FEE);
  const unsigned = newTransaction({
    lockTime: options.lockTime ?? devnet.chain.height,
    fee,
    memo: options.memo,
    payload,
  });
  const tx = signTransaction(unsigned, key);
  return { tx, hex: encodeTransactionHex(tx) };
}

export function transfer(from: Address, to: Address, amount: bigint): Payload {
  return { type: PayloadType.Transfer, from, to, amount };
}
