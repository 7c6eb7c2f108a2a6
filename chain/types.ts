import type { Network } from '../pactus/network.js';
import type { PayloadType } from '../pactus/tx.js';

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
  /** As the node reports them (0 and 0 from nodes older than these fields): see chain/health.ts. */
  syncProgress: number;
  blocksLeft: bigint;
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
  /** PIP-19: 1 - absent rounds / rounds in the committee, over the node's recent certificates (1 when none). */
  availabilityScore: number;
  delegation: DelegationState | null;
}

export interface TxRecord {
  id: string;
  /** The raw transaction as hex; only block INFO and transaction DATA answers carry it (null otherwise). */
  raw: string | null;
  payloadType: PayloadType;
  fee: bigint;
  value: bigint;
  lockTime: number;
  memo: string;
  /** 0 while in the pool. */
  blockHeight: number;
  blockTime: number;
  /** As the node says it: confirmations = last height - block height, confirmed = confirmations > 0. */
  confirmed: boolean;
  confirmations: number;
}

/** Pending and unknown are different answers: one will be mined, the other will not without a new broadcast. */
export type TransactionState =
  { state: 'committed'; tx: TxRecord } | { state: 'pending'; tx: TxRecord } | { state: 'unknown' };

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
