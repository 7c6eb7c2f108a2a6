import type { Network } from '../network.js';
import type { PayloadType } from '../tx.js';

export type ChainType = 'mainnet' | 'testnet' | 'localnet';

export function networkOfChain(chain: ChainType): Network {
  return chain === 'mainnet' ? 'mainnet' : 'testnet';
}

export interface ChainInfo {
  height: number;
  lastBlockHash: string;
  lastBlockTime: number;
  totalAccounts: number;
  totalValidators: number;
  activeValidators: number;
  committeeSize: number;
  totalPower: bigint;
  committeePower: bigint;
  chainType: ChainType;
}

export interface AccountState {
  address: string;
  /** False for an address that never received funds: the node says NotFound, we say balance 0. */
  exists: boolean;
  number: number;
  balance: bigint;
}

export interface DelegationState {
  owner: string;
  share: bigint;
  expiry: number;
}

export interface ValidatorState {
  address: string;
  number: number;
  publicKey: string;
  stake: bigint;
  lastBondingHeight: number;
  lastSortitionHeight: number;
  /** 0 while bonded; the height of the unbond otherwise. */
  unbondingHeight: number;
  delegation: DelegationState | null;
}

export interface TxRecord {
  id: string;
  /** The raw transaction as hex, decodable with pactus/'s own codec. */
  raw: string;
  payloadType: PayloadType;
  fee: bigint;
  value: bigint;
  lockTime: number;
  memo: string;
  /** 0 while in the pool. */
  blockHeight: number;
  blockTime: number;
  confirmed: boolean;
  confirmations: number;
}

export interface BlockSummary {
  height: number;
  hash: string;
  blockTime: number;
  /** The block header version: the live protocol version. */
  version: number;
  proposer: string;
  txIds: string[];
}

export interface FeeQuote {
  amount: bigint;
  fee: bigint;
}
